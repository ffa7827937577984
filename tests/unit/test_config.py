"""Settings: defaults, the config file, env overrides, round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from voice_mock import config
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.errors import UserError


def test_home_follows_env(isolated_home: Path) -> None:
    assert config.home_dir() == isolated_home
    assert config.config_path() == isolated_home / "config.toml"


def test_checkout_paths() -> None:
    root = config.checkout_root()
    assert root is not None
    assert config.bundled_questions_dir() == root / "questions"
    assert config.default_models_dir() == root / "models"


def test_missing_file_gives_defaults() -> None:
    s = config.load_settings()
    assert s == config.Settings()
    assert s.thresholds.pause_s == 0.5 and s.thresholds.long_pause_s == 2.0
    assert s.audio.silence_stop_s == 8.0 and s.audio.max_answer_s == 180.0


def test_round_trip(isolated_home: Path) -> None:
    s = config.Settings(
        audio=config.AudioSettings(input_device=3, silence_stop_s=2.5),
        speech=config.SpeechSettings(voice="en-us", rate=150, model_path="/m/x"),
        thresholds=Thresholds(pause_s=0.4, general_target_s=(30.0, 90.0)),
        recordings_dir=str(isolated_home / "elsewhere"),
        phone_mode=True,
    )
    path = config.save_settings(s)
    assert path.is_file()
    assert config.load_settings() == s
    assert s.sessions_dir() == isolated_home / "elsewhere"


def test_sessions_dir_default(isolated_home: Path) -> None:
    assert config.Settings().sessions_dir() == isolated_home / "sessions"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("colour = 1", "unknown setting 'colour'"),
        ("[audio]\nvolume = 3", "unknown setting 'volume'"),
        ("[thresholds]\npause_s = 'long'", "'pause_s' must be a number"),
        ("[audio]\nprep_seconds = 1.5", "'prep_seconds' must be a whole number"),
        ("[thresholds]\ngeneral_target_s = [1]", "list of 2 numbers"),
        ("audio = 3", "[audio] must be a table"),
        ("[audio", "not valid TOML"),
        ("[audio]\ninput_device = [1, 2]", "'input_device' must be a device number"),
        ("[audio]\ninput_device = { a = 1 }", "'input_device' must be a device number"),
        ("[audio]\ninput_device = -3", "'input_device' must be a device number"),
        ("[speech]\nvoice = 5", "'voice' must be text"),
        ("[speech]\nmodel_path = 5", "'model_path' must be text"),
        ("[speech]\nrate = 9000", "'rate' must be a whole number from 50 to 450"),
        ('[thresholds]\ngeneral_target_s = ["a", "b"]', "'general_target_s' must be a list"),
        ("[thresholds]\ngeneral_target_s = [90, 45]", "increasing"),
        ("[thresholds]\npace_window_s = 1e-9", "'pace_window_s' must be a number from 2"),
        ("[thresholds]\npause_s = nan", "'pause_s' must be a number"),
        ("[audio]\nmax_answer_s = 0", "'max_answer_s' must be a number above 0"),
        ('phone_mode = "no"', "'phone_mode' must be true or false"),
        ("recordings_dir = 5", "'recordings_dir' must be text"),
        ("recordings_dir = [1, 2]", "'recordings_dir' must be text"),
        ("[thresholds]\npause_s = 3.0", "long pause must be longer than a pause"),
        (
            "[thresholds]\nwpm_target_low = 170.0\nwpm_target_high = 120.0",
            "wpm_target_low and [thresholds] wpm_target_high",
        ),
        ("x = " + "[" * 3000 + "]" * 3000, "nested too deeply"),
    ],
)
def test_bad_config_is_one_sentence(isolated_home: Path, text: str, fragment: str) -> None:
    (isolated_home / "config.toml").write_text(text)
    with pytest.raises(UserError) as info:
        config.load_settings()
    assert fragment in str(info.value)
    assert "config.toml" in str(info.value)


def test_old_sentinel_device_names_mean_the_system_default(isolated_home: Path) -> None:
    """voice-mock 0.1.0's Settings screen wrote Textual's empty-select sentinel as text."""
    (isolated_home / "config.toml").write_text(
        '[audio]\ninput_device = "Select.NULL"\noutput_device = "Select.NULL"\n'
    )
    audio = config.load_settings().audio
    assert audio.input_device is None and audio.output_device is None


def test_relative_sessions_folder_is_inside_the_data_folder(isolated_home: Path) -> None:
    (isolated_home / "config.toml").write_text('recordings_dir = "mine"\n')
    assert config.load_settings().sessions_dir() == isolated_home / "mine"


def test_saving_keeps_comments_and_order(isolated_home: Path) -> None:
    path = isolated_home / "config.toml"
    path.write_text(
        "# my settings\n[speech]\n# a calm voice\nrate = 140  # slower\n\n"
        "[audio]\ninput_device = 2\n"
    )
    settings = config.load_settings()
    changed = config.Settings(
        audio=config.AudioSettings(input_device=None),
        speech=config.SpeechSettings(rate=150),
        thresholds=settings.thresholds,
    )
    config.save_settings(changed)
    text = path.read_text()
    assert "# my settings" in text and "# a calm voice" in text
    assert text.index("[speech]") < text.index("[audio]")
    assert "input_device" not in text
    assert config.load_settings() == changed
    assert path.stat().st_mode & 0o777 == 0o600


def test_the_screen_and_the_file_share_one_rule() -> None:
    assert config.check_value("audio", "silence_stop_s", 8) == (8.0, None)
    value, problem = config.check_value("audio", "silence_stop_s", -1)
    assert value is None and problem == "must be a number from 0 to 600"
    assert config.check_value("audio", "input_device", "USB mic") == ("USB mic", None)
    bad = config.Settings(thresholds=Thresholds(pause_s=3.0))
    assert [p.keys for p in config.cross_field_problems(bad)] == [
        (("thresholds", "pause_s"), ("thresholds", "long_pause_s"))
    ]
