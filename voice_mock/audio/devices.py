"""Audio devices: list them, choose the input, and agree on a capture rate.

sounddevice is imported late (it loads PortAudio), and a machine without
PortAudio or without any microphone gets one clear sentence instead of an
OSError or a PortAudio error code. PortAudio, ALSA and JACK print to the C
``stderr`` when they start, probe devices or lose one; every call into them
here and in `sources`/`playback` runs inside `voice_mock.quiet.native`, so
none of it reaches the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from voice_mock.errors import UserError

NO_INPUT = (
    "No input device was found; connect a microphone (or check `voice-mock devices`) and try again."
)


def sounddevice() -> ModuleType:
    """Import sounddevice, turning a missing PortAudio into a `UserError`.

    The import starts PortAudio, which probes every host API (and prints
    while doing it), so the native output is silenced first.
    """
    from voice_mock import quiet

    try:
        with quiet.native("starting PortAudio"):
            import sounddevice as sd
    except OSError as exc:
        raise UserError(
            f"The PortAudio library could not be loaded ({exc}); install it "
            "(Debian: `sudo apt install libportaudio2`)."
        ) from None
    return sd


@dataclass(frozen=True, slots=True)
class Device:
    """One PortAudio device as the user sees it in `voice-mock devices`."""

    index: int
    name: str
    max_in: int
    """Input channels (0 for an output-only device)."""
    max_out: int
    """Output channels (0 for an input-only device)."""
    default_rate: float
    """The device's own sample rate, used when it refuses 16 kHz."""
    is_default_in: bool = False
    is_default_out: bool = False


def _defaults(sd: ModuleType) -> tuple[int, int]:
    try:
        dev = sd.default.device
        return int(dev[0]), int(dev[1])
    except Exception:
        return -1, -1


def list_devices() -> list[Device]:
    """Every device PortAudio knows, with the default input and output marked."""
    from voice_mock import quiet

    sd = sounddevice()
    with quiet.native("listing audio devices"):
        try:
            raw: Any = sd.query_devices()
        except Exception as exc:
            raise UserError(f"The audio devices could not be listed ({exc}).") from None
        default_in, default_out = _defaults(sd)
        if default_in < 0 or default_out < 0:
            try:
                default_in = (
                    int(sd.query_devices(kind="input")["index"]) if default_in < 0 else default_in
                )
            except Exception:
                default_in = -1
            try:
                default_out = (
                    int(sd.query_devices(kind="output")["index"])
                    if default_out < 0
                    else default_out
                )
            except Exception:
                default_out = -1
    out = []
    for info in raw:
        index = int(info["index"])
        out.append(
            Device(
                index=index,
                name=str(info["name"]),
                max_in=int(info["max_input_channels"]),
                max_out=int(info["max_output_channels"]),
                default_rate=float(info["default_samplerate"]),
                is_default_in=index == default_in,
                is_default_out=index == default_out,
            )
        )
    return out


def _pick(device: int | str | None, *, want_input: bool) -> Device:
    kind = "input" if want_input else "output"
    devices = list_devices()
    usable = [d for d in devices if (d.max_in if want_input else d.max_out) > 0]
    if not usable:
        if want_input:
            raise UserError(NO_INPUT)
        raise UserError("No output device was found; questions cannot be played aloud.")
    if isinstance(device, str) and device.strip().lstrip("-").isdigit():
        device = int(device.strip())
    if device is None:
        for d in usable:
            if d.is_default_in if want_input else d.is_default_out:
                return d
        return usable[0]
    if isinstance(device, int):
        for d in devices:
            if d.index == device:
                if d in usable:
                    return d
                raise UserError(
                    f"Device {device} ({d.name}) has no {kind} channels; "
                    f"pick an {kind} device from `voice-mock devices`."
                )
        raise UserError(
            f"There is no audio device number {device}; `voice-mock devices` lists them."
        )
    needle = device.strip().lower()
    exact = [d for d in usable if d.name.lower() == needle]
    if exact:
        return exact[0]
    partial = [d for d in usable if needle in d.name.lower()]
    if partial:
        return partial[0]
    raise UserError(f"No {kind} device matches '{device}'; `voice-mock devices` lists them.")


def pick_input(device: int | str | None = None) -> Device:
    """The input device for `device` (index, name part, or None for the default)."""
    return _pick(device, want_input=True)


def pick_output(device: int | str | None = None) -> Device:
    """The output device for `device` (index, name part, or None for the default)."""
    return _pick(device, want_input=False)


def input_rate(device: Device, preferred: int = 16000) -> int:
    """The capture rate to use: `preferred` when the device takes it, else its own rate.

    Vosk is told whatever rate we end up with, so falling back costs only CPU.
    """
    from voice_mock import quiet

    sd = sounddevice()
    candidates = [int(preferred), round(device.default_rate)]
    for rate in dict.fromkeys(candidates):
        try:
            with quiet.native("checking an input rate"):
                sd.check_input_settings(
                    device=device.index, channels=1, dtype="int16", samplerate=rate
                )
        except Exception:
            continue
        return rate
    raise UserError(
        f"The input device '{device.name}' accepts neither {preferred} Hz nor its own "
        f"{round(device.default_rate)} Hz mono recording; choose another with --device."
    )
