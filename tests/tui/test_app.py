"""Pilot tests of the app without recording: every screen, settings, history, export, delete."""

from __future__ import annotations

import asyncio
import json
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.command import Command, CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Select

from tests.support.app import (
    SIZE,
    RecordingPlayer,
    build_app,
    save_session,
    services_for,
    shown_text,
)
from voice_mock.audio.devices import Device
from voice_mock.config import config_path
from voice_mock.tui.screens.confirm import ConfirmScreen, PromptScreen
from voice_mock.tui.screens.help import HelpScreen
from voice_mock.tui.screens.history import HistoryScreen
from voice_mock.tui.screens.home import HomeScreen
from voice_mock.tui.screens.review import ReviewScreen
from voice_mock.tui.screens.settings import SettingsScreen
from voice_mock.tui.widgets.transcript_view import TranscriptView


async def until(pilot: Pilot[Any], check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until `check()` holds: a condition, not a fixed sleep that is too short
    under load and too long otherwise."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        assert loop.time() < deadline, "timed out waiting for the app"
        await pilot.pause(0.02)


async def test_home_lists_and_filters_questions() -> None:
    app, library, _ = build_app(services_for())
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        options = app.screen.query_one("#questions", OptionList)
        assert options.option_count == len(library.questions())
        await pilot.press("slash", *"angry")
        await pilot.pause()
        shown = app.screen.shown
        assert shown and len(shown) < len(library.questions())
        assert all("angry" in (q.text + q.why + " ".join(q.tips)).lower() for q in shown)
        assert app.model_state == "missing"
        assert app.input_label == "Test microphone"


async def test_every_screen_is_reachable_and_closes() -> None:
    app, library, store = build_app(services_for())
    save_session(store, library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "escape", "escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("s")
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        help_text = shown_text(app.screen.query_one("#help-table"))
        assert "Mock interview" in help_text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_settings_are_saved_to_config_toml() -> None:
    app, _, _ = build_app(services_for())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        rate = screen.query_one("#set-speech-rate", Input)
        rate.value = "190"
        screen.query_one("#set-audio-silence-stop-s", Input).value = "2.5"
        screen.query_one("#set-thresholds-wpm-target-high", Input).value = "150"
        await app.workers.wait_for_complete()
        await pilot.pause()
        microphone = screen.query_one("#set-input-device", Select)
        microphone.value = 0  # refused unless the device list offered it
        screen.query_one("#set-voice", Select).value = "test-voice"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    saved = tomllib.loads(config_path().read_text())
    assert saved["speech"]["rate"] == 190
    assert saved["audio"]["silence_stop_s"] == 2.5
    assert saved["thresholds"]["wpm_target_high"] == 150.0
    assert saved["audio"]["input_device"] == 0
    assert saved["speech"]["voice"] == "test-voice"
    assert app.settings.speech.rate == 190


async def test_bad_setting_is_a_notice_not_a_save() -> None:
    app, _, _ = build_app(services_for())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#set-thresholds-pause-s", Input).value = "3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert any("long pause" in n.message for n in app._notifications)
    assert not config_path().exists()


async def test_judging_thresholds_are_all_settings_and_save() -> None:
    from voice_mock.tui.screens.settings import NUMBER_FIELDS

    shown = {name for section, name, _, _ in NUMBER_FIELDS if section == "thresholds"}
    for name in (
        "latency_slow_s",
        "latency_very_slow_s",
        "coverage_good_ratio",
        "coverage_partial_ratio",
        "quiet_dbfs",
        "trailing_off_db",
        "clipped_ratio_max",
        "monotone_semitones",
        "phone_volume_uneven_db",
    ):
        assert name in shown
    app, _, _ = build_app(services_for())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#set-thresholds-latency-slow-s", Input).value = "4"
        screen.query_one("#set-thresholds-quiet-dbfs", Input).value = "-40"
        screen.query_one("#set-thresholds-coverage-good-ratio", Input).value = "0.9"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    saved = tomllib.loads(config_path().read_text())["thresholds"]
    assert (saved["latency_slow_s"], saved["quiet_dbfs"]) == (4.0, -40.0)
    assert saved["coverage_good_ratio"] == 0.9
    assert app.settings.thresholds.latency_slow_s == 4.0


async def test_a_share_above_one_is_refused() -> None:
    app, _, _ = build_app(services_for())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#set-thresholds-coverage-good-ratio", Input).value = "75"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert any("must be a number from 0 to 1" in n.message for n in app._notifications)
    assert not config_path().exists()


async def test_history_opens_review_with_the_transcript() -> None:
    app, library, store = build_app(services_for())
    record = save_session(store, library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.session_id == record.id
        text = screen.query_one(TranscriptView).plain_text
        assert "customer service is um being polite" in text
        assert "0:00" in text and "⏸2.5s" in text
        metrics = shown_text(screen.query_one("#metrics"))
        assert "Pace" in metrics and "Fillers" in metrics


async def test_review_plays_from_the_highlighted_line_with_phone_filter() -> None:
    player = RecordingPlayer()
    app, library, store = build_app(services_for(player=player))
    save_session(store, library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h", "enter")
        await pilot.pause()
        view = app.screen.query_one(TranscriptView)
        assert len(view.lines) >= 2
        await pilot.press("down", "f", "l")
        await app.workers.wait_for_complete()
        assert player.played, "nothing was played"
        samples, rate, phone = player.played[-1]
        assert rate == 16000 and phone is True
        assert samples == 12 * 16000 - round(view.lines[1].start * 16000)


async def test_delete_asks_first() -> None:
    app, library, store = build_app(services_for())
    older = save_session(store, library, started_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    save_session(store, library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 2
        await pilot.press("down", "d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert store.count() == 2
        await pilot.press("d", "y")
        await pilot.pause()
        assert store.count() == 1
        assert table.row_count == 1
        assert not older.folder.exists()


async def test_export_to_a_chosen_path_never_replaces_without_asking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, library, store = build_app(services_for())
    record = save_session(store, library)
    save_session(store, library, started_at=datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "out" / "answer.json"
    target.parent.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h", "down", "w")
        assert isinstance(app.screen, PromptScreen)
        prompt = app.screen.query_one(Input)
        assert prompt.value == str(tmp_path / f"{record.id}.md")  # the current folder
        await pilot.press("enter")
        await pilot.pause()
        markdown = (tmp_path / f"{record.id}.md").read_text()
        assert markdown.startswith("# What is customer service?")
        assert "## Delivery" in markdown and "| pace |" in markdown
        await pilot.press("w")
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert json.loads(target.read_text())["report"]["word_count"] == 24
        assert any("Exported 1 to" in n.message for n in app._notifications)
        target.write_text("mine")
        await pilot.press("w")
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # asks before replacing
        await pilot.press("n")
        assert target.read_text() == "mine"
        await pilot.press("W")
        app.screen.query_one(Input).value = str(tmp_path / "all.md")
        await pilot.press("enter")
        await pilot.pause()
        both = (tmp_path / "all.md").read_text()
        assert both.startswith("# 2 practice answers") and both.count("## What is") == 2


async def test_history_filter_and_sort() -> None:
    app, library, store = build_app(services_for())
    save_session(store, library, started_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    save_session(
        store,
        library,
        question="customer-service/customer-service-meaning",
        words=[("i", 0.5, 0.6), ("care", 0.7, 1.0), ("deeply", 1.0, 1.5)],
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert screen.records[0].question_id == "customer-service-meaning"
        await pilot.press("slash", *"deeply", "enter")
        await pilot.pause()
        assert [r.question_id for r in screen.records] == ["customer-service-meaning"]
        screen.query_one("#history-search", Input).value = ""
        await pilot.pause()
        assert len(screen.records) == 2
        await pilot.press("o")
        assert screen.order_by == "started_at" and not screen.descending
        assert screen.records[0].question_id == "what-is-customer-service"


async def test_model_download_shows_progress_then_ready(ko_model_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []

    def download(progress):  # type: ignore[no-untyped-def]
        for done in (0, 50, 100):
            progress(done, 100)
            seen.append((done, 100))
        return ko_model_path

    app, _, _ = build_app(services_for(download=download))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        assert app.model_state == "missing"
        await pilot.press("d")
        for _ in range(200):
            await pilot.pause(0.05)
            if app.model_state == "ready":
                break
        assert app.model_state == "ready"
        assert app.model_path == ko_model_path
        assert seen[-1] == (100, 100)


async def test_command_palette_offers_the_main_actions() -> None:
    app, _, _ = build_app(services_for())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        palette = app.screen
        await pilot.press(*"history")

        def history_is_offered_first() -> bool:
            # The search runs in the background; wait for its hit, not a fixed 0.3 s.
            commands = palette.query_one(CommandList)
            index = commands.highlighted
            if index is None:
                return False
            option = commands.get_option_at_index(index)
            return isinstance(option, Command) and str(option.hit.text) == "History"

        await until(pilot, history_is_offered_first)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        assert isinstance(app.screen, HistoryScreen)


async def test_phone_mode_toggle_shows_on_home() -> None:
    app, _, _ = build_app(services_for())
    async with app.run_test(size=SIZE) as pilot:
        assert app.phone_mode is False
        await pilot.press("p")
        await pilot.pause()
        assert app.phone_mode is True
        assert "phone mode" in shown_text(app.screen.query_one("#status-line"))


async def test_behavioural_review_shows_star_and_tips() -> None:
    app, library, store = build_app(services_for())
    question = next(q for q in library.questions() if q.star)
    words = "when i worked at the store a customer was angry so i listened and "
    words += "then i fixed the refund and as a result she came back"
    timed = [(w, 0.5 + i * 0.4, 0.8 + i * 0.4) for i, w in enumerate(words.split())]
    save_session(store, library, question=question.qualified_id, words=timed)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        star = shown_text(screen.query_one("#star"))
        assert all(part in star for part in ("Situation", "Task", "Action", "Result"))
        assert "Structure:" in star
        tips = shown_text(screen.query_one("#tips"))
        assert question.tips[0][:30] in tips.replace("\n", " ")
        points = shown_text(screen.query_one("#keypoints"))
        assert ("✓" in points) or ("✗" in points)


async def test_reanalyse_uses_new_thresholds() -> None:
    import dataclasses

    app, library, store = build_app(services_for())
    record = save_session(store, library)
    before = record.load_report()
    assert before is not None and before["pauses"]["long_count"] == 1
    async with app.run_test(size=SIZE) as pilot:
        thresholds = dataclasses.replace(app.settings.thresholds, long_pause_s=3.0)
        app.apply_settings(dataclasses.replace(app.settings, thresholds=thresholds))
        await pilot.press("h", "a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("analysed again" in n.message for n in app._notifications)
    after = store.get(record.id).load_report()
    assert after is not None and after["pauses"]["long_count"] == 0


async def test_home_shows_at_once_while_the_model_loads(tmp_path: Path) -> None:
    import threading
    import time

    release = threading.Event()

    def slow_load(path: Path) -> object:
        release.wait(20)
        return object()

    services = services_for(model_path=tmp_path)
    services.load_model = slow_load
    app, _, _ = build_app(services)
    started = time.monotonic()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert time.monotonic() - started < 2.0
        for _ in range(40):
            if app.model_state == "loading":
                break
            await pilot.pause(0.05)
        assert app.model_state == "loading"
        assert "loading" in shown_text(app.screen.query_one("#status-line"))
        await pilot.press("down")
        assert app.screen.query_one("#questions", OptionList).highlighted == 1
        release.set()
        for _ in range(100):
            if app.model_state == "ready":
                break
            await pilot.pause(0.05)
        assert app.model_state == "ready"


async def test_slow_jobs_start_only_once_the_home_screen_is_laid_out(tmp_path: Path) -> None:
    """The model load and the device check wait for the first screen (they starved its paint)."""
    from tests.support.app import fake_devices

    seen: list[tuple[str, bool, int]] = []

    def note() -> None:
        screen = app.screen
        laid_out = 0
        if isinstance(screen, HomeScreen) and screen.is_mounted:
            laid_out = screen.query_one("#status-line").region.area
        seen.append((type(screen).__name__, screen.is_mounted, laid_out))

    def load(path: Path) -> object:
        note()
        return object()

    def devices() -> list[Device]:
        note()
        return fake_devices()

    services = services_for(model_path=tmp_path)
    services.load_model = load
    services.input_device = lambda settings: devices()[0]
    app, _, _ = build_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.model_state == "ready"
        assert app.input_label == "Test microphone"
        assert app.background_started is not None
    assert len(seen) == 2
    for name, mounted, laid_out in seen:
        assert name == "HomeScreen" and mounted and laid_out > 0


START_UP_PROBE = """
import json, sys
from voice_mock.bank import load_library
from voice_mock.coach import Coach
from voice_mock.config import load_settings
from voice_mock.speech.models import find_model
from voice_mock.store import Store
from voice_mock.tui.app import make_app

HEAVY = {"vosk", "numpy", "scipy", "sounddevice", "soundfile", "pyttsx3", "urllib.request"}
preloaded = sorted(HEAVY & set(sys.modules))
first_import: dict[str, bool] = {}


def home_laid_out():
    screen = app.screen
    if type(screen).__name__ != "HomeScreen" or not screen.is_mounted:
        return False
    return screen.query_one("#status-line").region.area > 0


class Watch:
    def find_spec(self, name, path=None, target=None):
        if name in HEAVY and name not in first_import:
            first_import[name] = home_laid_out() and app.background_started is not None
        return None


settings = load_settings()
app = make_app(Coach(settings, load_library(), Store(settings.sessions_dir()),
                     model_path=find_model(None, settings)))
sys.meta_path.insert(0, Watch())


async def probe(pilot):
    for _ in range(600):
        if app.model_state in ("ready", "failed", "missing"):
            break
        await pilot.pause(0.05)
    print(json.dumps({"preloaded": preloaded, "first_import": first_import,
                      "state": app.model_state}))
    app.exit()


app.run(headless=True, size=(100, 32), auto_pilot=probe)
"""


def test_start_up_imports_nothing_heavy_before_the_slow_jobs_start(ko_model_path: Path) -> None:
    """A real launch with a model: vosk, numpy, sounddevice... load only after the first screen."""
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", START_UP_PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "VOICE_MOCK_MODEL": str(ko_model_path)},
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["state"] == "ready"
    assert result["preloaded"] == []
    assert "vosk" in result["first_import"]
    assert all(result["first_import"].values()), result


def test_weakest_habits_name_the_worst_first() -> None:
    from voice_mock.analysis.report import analyze
    from voice_mock.analysis.saved import SavedReport
    from voice_mock.analysis.thresholds import Thresholds
    from voice_mock.bank import load_library
    from voice_mock.transcript import Transcript
    from voice_mock.tui.screens.mock_summary import Graded
    from voice_mock.tui.screens.mock_summary import habit_lines as weakest_habits
    from voice_mock.tui.screens.practice import MockAnswer

    library = load_library()
    first, second = library.questions()[:2]
    um = [("um", i * 1.0, i * 1.0 + 0.3) for i in range(20)]
    fluent = [
        (w, 0.5 + i * 0.4, 0.8 + i * 0.4) for i, w in enumerate(["i", "listen", "and", "help"])
    ]

    def graded(question, words, skipped=False):  # type: ignore[no-untyped-def]
        transcript = Transcript.from_vosk(
            [{"result": [{"word": w, "start": a, "end": b} for w, a, b in words]}]
        )
        report = None if skipped else SavedReport.from_dict(analyze(transcript, question).to_dict())
        return Graded(MockAnswer(question, None if skipped else "x", skipped), report)

    habits = weakest_habits([graded(first, um), graded(second, fluent, skipped=True)], Thresholds())
    assert habits[0].startswith("Filler words:") and '"um"' in habits[0]
    assert any(h.startswith("Skipped questions: 1") for h in habits)
    assert weakest_habits([graded(first, [], skipped=True)], Thresholds()) == [
        "No answer was analysed, so there is nothing to judge yet."
    ]


def test_metric_rows_take_the_reports_verdicts_and_judge_old_reports_with_the_settings() -> None:
    import dataclasses

    from voice_mock.analysis.saved import SavedReport
    from voice_mock.analysis.thresholds import Thresholds
    from voice_mock.analysis.verdicts import Level
    from voice_mock.tui.widgets.metrics_panel import metric_rows

    old = {
        "speaking_s": 50.0,
        "word_count": 90,
        "wpm": 108.0,
        "response_latency_s": 4.0,
        "fillers": {"total": 1, "per_minute": 1.2},
        "pauses": {"count": 2, "long_count": 0, "longest_s": 1.0},
        "coverage": {"ratio": 0.75},
        "question_id": "q",
    }

    def verdicts(report: dict[str, object], thresholds: Thresholds) -> dict[str, str]:
        rows = metric_rows(SavedReport.from_dict(report), thresholds, (45.0, 120.0))
        return {row.measure: row.verdict.text for row in rows if row.verdict is not None}

    levels = {
        row.measure: row.verdict.level
        for row in metric_rows(SavedReport.from_dict(old), Thresholds(), (45.0, 120.0))
        if row.verdict is not None
    }
    assert levels["Pace"] == Level.WORK_ON and levels["First word"] == Level.WATCH

    judged = verdicts(old, Thresholds())
    assert judged["Pace"] == "too slow"
    assert judged["First word"] == "slow start"
    assert judged["Key points"] == "good"
    assert (judged["Length"], judged["Fillers"], judged["Pauses"]) == ("good", "good", "good")
    relaxed = dataclasses.replace(Thresholds(), wpm_low=100.0, latency_slow_s=5.0)
    judged = verdicts(old, relaxed)
    assert (judged["Pace"], judged["First word"]) == ("a little slow", "good")
    saved = {**old, "verdicts": {"pace": "good", "latency": "very slow start"}}
    judged = verdicts(saved, Thresholds())
    assert (judged["Pace"], judged["First word"]) == ("good", "very slow start")


async def test_history_says_when_there_is_nothing_to_play_or_reanalyse() -> None:
    app, library, store = build_app(services_for())
    record = save_session(store, library, with_audio=False)
    record.transcript_path.unlink()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h", "p")
        await pilot.pause()
        assert any("no recording to play" in n.message for n in app._notifications)
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        failed = [n for n in app._notifications if n.title == "That did not work"]
        assert failed and "no recording to transcribe" in failed[0].message
        assert not any("analysed again" in n.message for n in app._notifications)
