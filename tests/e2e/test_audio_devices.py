"""Device choice on a real PortAudio: unknown devices, no input at all, refused sample rates."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.pulse import PulseSink
from voice_mock.audio.devices import input_rate, list_devices, pick_input, pick_output
from voice_mock.audio.sources import SoundDeviceSource
from voice_mock.errors import UserError

pytestmark = pytest.mark.audio


def test_list_devices_sees_the_null_sink(pulse_sink: PulseSink) -> None:
    devices = list_devices()
    names = [d.name for d in devices]
    assert any(d.max_in > 0 for d in devices), names
    assert any(d.max_out > 0 for d in devices), names
    assert sum(d.is_default_in for d in devices) == 1
    default_in = pick_input(None)
    assert default_in.is_default_in and default_in.max_in > 0
    assert pick_output(None).max_out > 0
    # by index, by index written as text, by part of the name
    assert pick_input(default_in.index) == default_in
    assert pick_input(str(default_in.index)) == default_in
    assert pick_input(default_in.name[:4].upper()).max_in > 0


def test_unknown_device_index_is_a_user_error(pulse_sink: PulseSink) -> None:
    missing = max(d.index for d in list_devices()) + 50
    with pytest.raises(UserError, match=f"no audio device number {missing}"):
        pick_input(missing)
    with pytest.raises(UserError, match="No input device matches 'no-such-mic'"):
        pick_input("no-such-mic")
    with pytest.raises(UserError):
        SoundDeviceSource(missing)


def test_no_input_device_at_all_is_a_user_error(tmp_path: Path) -> None:
    """With no sound server and no card, PortAudio has no inputs: one clear sentence."""
    env = {
        **os.environ,
        "PULSE_SERVER": f"unix:{tmp_path / 'nothing-here'}",
        "PULSE_RUNTIME_PATH": str(tmp_path),
    }
    code = (
        "from voice_mock.audio.devices import pick_input\n"
        "from voice_mock.errors import UserError\n"
        "try:\n    pick_input(None)\nexcept UserError as e:\n    print('USERERROR', e)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert "USERERROR No input device was found" in out.stdout, out.stdout + out.stderr


def test_preferred_rate_is_used_when_accepted(pulse_sink: PulseSink) -> None:
    device = pick_input(None)
    assert input_rate(device, 16000) == 16000
    assert SoundDeviceSource(None, 16000).sample_rate == 16000


def test_refused_rate_falls_back_to_the_device_rate(pulse_sink: PulseSink) -> None:
    """PortAudio refuses an absurd rate for real; the device's own rate is used instead."""
    device = pick_input(None)
    assert input_rate(device, 1) == round(device.default_rate)
