"""Reports and sessions turned into words for people: terminal text, Markdown, numbers.

One package serves every front: the CLI prints `text.report_text`, the TUI
and the CLI both export with `markdown`, and every number and time is
formatted by `numbers`. Anything that came from a bank or a transcript goes
through `safe.visible` before it reaches a terminal or a file.
"""
