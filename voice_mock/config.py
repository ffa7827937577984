"""Settings and paths: the one module that knows where things live.

Order of precedence for the data folder: ``VOICE_MOCK_HOME``, else the
checkout's ``recordings/`` when run from a source checkout, else the
platform's user data folder. The config file is ``<home>/config.toml``.
Settings are a typed dataclass, read once with `tomllib` and written
atomically, so the TUI's settings screen and the CLI share one format.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voice_mock.analysis.thresholds import Thresholds
from voice_mock.errors import UserError
from voice_mock.fileio import atomic_write_text

ENV_HOME = "VOICE_MOCK_HOME"
ENV_MODEL = "VOICE_MOCK_MODEL"

PACKAGE_DIR = Path(__file__).resolve().parent


def checkout_root() -> Path | None:
    """The source checkout this package runs from, or None when installed as a wheel."""
    root = PACKAGE_DIR.parent
    if (root / "pyproject.toml").is_file() and (root / "questions").is_dir():
        return root
    return None


def bundled_questions_dir() -> Path:
    """Folder of the bundled question banks (the checkout's, or the copy inside the wheel)."""
    root = checkout_root()
    if root is not None:
        return root / "questions"
    return PACKAGE_DIR / "_bundled_questions"


def home_dir() -> Path:
    """The data folder: sessions, the SQLite index, the config file, cached TTS audio."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    root = checkout_root()
    if root is not None:
        return root / "recordings"
    from platformdirs import user_data_path

    return user_data_path("voice-mock", appauthor=False)


def default_models_dir() -> Path:
    """Where downloaded models go: the checkout's ``models/``, else ``<home>/models``."""
    root = checkout_root()
    if root is not None:
        return root / "models"
    return home_dir() / "models"


def config_path() -> Path:
    return home_dir() / "config.toml"


@dataclass(frozen=True, slots=True)
class AudioSettings:
    """Recording and playback choices."""

    input_device: int | str | None = None
    """PortAudio device index or name substring; None for the system default."""
    output_device: int | str | None = None
    """Device for questions and replay; None for the system default."""
    sample_rate: int = 16000
    """Preferred capture rate; the device's own rate is used when it refuses this."""
    silence_stop_s: float = 4.0
    """Stop after this much silence once the user has spoken (0 turns it off)."""
    max_answer_s: float = 180.0
    """Hard stop for one answer."""
    prep_seconds: int = 0
    """Optional preparation countdown before recording starts."""


@dataclass(frozen=True, slots=True)
class SpeechSettings:
    """Text-to-speech and recogniser choices."""

    voice: str | None = None
    """pyttsx3 voice id (see `voice-mock voices`); None for the engine default."""
    rate: int = 165
    """Speaking rate in words per minute for questions."""
    model_path: str | None = None
    """Vosk model folder; overridden by --model and VOICE_MOCK_MODEL."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a user can configure."""

    audio: AudioSettings = field(default_factory=AudioSettings)
    speech: SpeechSettings = field(default_factory=SpeechSettings)
    thresholds: Thresholds = field(default_factory=Thresholds)
    recordings_dir: str | None = None
    """Where sessions and their index live; None means ``<home>/sessions``."""
    phone_mode: bool = False
    """Start in phone-interview mode."""

    def sessions_dir(self) -> Path:
        if self.recordings_dir:
            return Path(self.recordings_dir).expanduser()
        return home_dir() / "sessions"


_SECTIONS: dict[str, type] = {
    "audio": AudioSettings,
    "speech": SpeechSettings,
    "thresholds": Thresholds,
}


def _coerce(cls: type, data: Mapping[str, Any], where: str) -> Any:
    """Build a settings dataclass from TOML, naming unknown keys and bad types."""
    known = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise UserError(f"{where}: unknown setting '{key}'.")
        default = getattr(cls(), key)
        if isinstance(default, tuple):
            if not (isinstance(value, list) and len(value) == len(default)):
                raise UserError(f"{where}: '{key}' must be a list of {len(default)} numbers.")
            value = tuple(float(v) for v in value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise UserError(f"{where}: '{key}' must be true or false.")
        elif isinstance(default, float):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise UserError(f"{where}: '{key}' must be a number.")
            value = float(value)
        elif isinstance(default, int) and (isinstance(value, bool) or not isinstance(value, int)):
            raise UserError(f"{where}: '{key}' must be a whole number.")
        kwargs[key] = value
    return cls(**kwargs)


def settings_from_dict(data: Mapping[str, Any], where: str = "config") -> Settings:
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key in _SECTIONS:
            if not isinstance(value, dict):
                raise UserError(f"{where}: [{key}] must be a table.")
            kwargs[key] = _coerce(_SECTIONS[key], value, f"{where} [{key}]")
        elif key == "recordings_dir":
            kwargs[key] = str(value) if value else None
        elif key == "phone_mode":
            kwargs[key] = bool(value)
        else:
            raise UserError(f"{where}: unknown setting '{key}'.")
    return Settings(**kwargs)


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    """Plain dict for TOML, leaving out None values (TOML has no null)."""

    def clean(obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if value is None:
                continue
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    data: dict[str, Any] = {}
    if settings.recordings_dir:
        data["recordings_dir"] = settings.recordings_dir
    data["phone_mode"] = settings.phone_mode
    data["audio"] = clean(settings.audio)
    data["speech"] = clean(settings.speech)
    data["thresholds"] = clean(settings.thresholds)
    return data


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file; a missing file means defaults, a broken one a `UserError`."""
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise UserError(f"{path} could not be read: {exc.strerror}.") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{path} is not valid TOML: {exc}.") from None
    return settings_from_dict(data, where=str(path))


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    path = path or config_path()
    atomic_write_text(path, dumps_toml(settings_to_dict(settings)))
    return path


def dumps_toml(data: Mapping[str, Any]) -> str:
    """Minimal TOML writer for our flat settings (scalars, lists, one level of tables)."""

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return repr(v)
        if isinstance(v, list | tuple):
            return "[" + ", ".join(value(x) for x in v) + "]"
        s = str(v).replace("\\", "\\\\").replace('"', '\\"')
        return f'"{s}"'

    lines: list[str] = []
    tables: list[tuple[str, Mapping[str, Any]]] = []
    for key, v in data.items():
        if isinstance(v, Mapping):
            tables.append((key, v))
        else:
            lines.append(f"{key} = {value(v)}")
    for name, table in tables:
        lines.append("")
        lines.append(f"[{name}]")
        lines.extend(f"{k} = {value(v)}" for k, v in table.items())
    return "\n".join(lines).lstrip("\n") + "\n"
