"""Helpers shared by tests and benchmarks: labelled answers, Vosk-like transcripts, damage."""
