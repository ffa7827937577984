"""The Textual front: a thin app, screens that own features, widgets, styles in app.tcss.

Nothing in the core imports this package; it only calls the core's public API.
"""
