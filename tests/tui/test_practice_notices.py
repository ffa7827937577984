"""The practice screen says each sentence about an answer once.

While a turn runs, what it tells its listener is shown as a notice at once; at the end
of the turn the screen shows only what was not said yet (`TurnResult.unsaid`). A save
that fails on a full disk was once shown live and then again when the turn ended.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from tests.support.app import SIZE, build_app, file_mic, services_for
from tests.support.app import wait_for as wait_for_app
from tests.support.crafted import write_wav
from tests.support.faults import full_disk_on_finish
from voice_mock.config import AudioSettings, Settings

wait_for = partial(wait_for_app, timeout=20.0)
"""Wait on the app, at most 20 s unless a call says otherwise."""


async def test_a_save_that_fails_on_a_full_disk_is_said_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wav = write_wav(tmp_path / "answer.wav", 1.0)
    settings = Settings(audio=AudioSettings(silence_stop_s=0.0, max_answer_s=0.0))
    app, _, _store = build_app(services_for(mic=file_mic(wav, realtime=False)), settings=settings)
    full_disk_on_finish(monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.model_state == "missing")
        await pilot.press("enter")

        def said_it() -> bool:
            return any("could not be saved" in n.message for n in app._notifications)

        await wait_for(pilot, said_it)
        await pilot.pause(0.5)  # the end of the turn has been handled too
        messages = [n.message for n in app._notifications]
    saying = [m for m in messages if "could not be saved" in m]
    assert len(saying) == 1, messages
    assert not any("will be transcribed" in m for m in messages), messages
    assert list(settings.sessions_dir().rglob("*.wav")), "the recording is kept"
