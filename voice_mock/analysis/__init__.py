"""Pure analysis of one answer: transcript words (+ optional audio features) in, dataclasses out.

Nothing in this package does I/O, reads globals or imports a UI.
"""
