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
    assert s.audio.silence_stop_s == 4.0 and s.audio.max_answer_s == 180.0


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
    ],
)
def test_bad_config_is_one_sentence(isolated_home: Path, text: str, fragment: str) -> None:
    (isolated_home / "config.toml").write_text(text)
    with pytest.raises(UserError) as info:
        config.load_settings()
    assert fragment in str(info.value)
    assert "config.toml" in str(info.value)
