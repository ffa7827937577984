"""Audio: devices, sources, crash-safe recording, playback, phone-line filter, voice activity.

Every module imports sounddevice/scipy late, inside functions, so importing the
package costs nothing for commands that never touch audio.
"""
