"""Speech: question rendering (TTS), recognition (Vosk) and model lookup/download.

Nothing here imports vosk or pyttsx3 at package import time, so the CLI and
the TUI start fast; the engines load inside the functions that need them.
"""
