"""Settings and paths: the one module that knows where things live and what a setting may hold.

Order of precedence for the data folder: ``VOICE_MOCK_HOME``, else the
checkout's ``recordings/`` when run from a source checkout, else the
platform's user data folder. The config file is ``<home>/config.toml``.

Settings are typed dataclasses. The file is a hand-editable TOML file, so
every key is checked on load against one table of rules (`RULES`: its type
and range) and the cross-field rules (`cross_field_problems`: a pace band
that goes from low to high...). The Settings screen checks a form with the
same rules, so a value the screen refuses is refused in the file too, and
the other way round. A bad value is one sentence that names the key and
what it takes. Saving goes through tomlkit, so a user's comments and key
order survive.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from voice_mock.analysis.thresholds import Thresholds
from voice_mock.errors import UserError
from voice_mock.fileio import atomic_write_text

ENV_HOME = "VOICE_MOCK_HOME"
ENV_MODEL = "VOICE_MOCK_MODEL"

PACKAGE_DIR = Path(__file__).resolve().parent
MAX_CONFIG_BYTES = 1_000_000
"""A config file larger than this is not one voice-mock wrote or a person edited."""


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
    silence_stop_s: float = 8.0
    """Stop after this much silence once the user has spoken (0 turns it off).

    Thinking pauses of 3-6 s are normal in an interview answer, so the default
    leaves room for them."""
    max_answer_s: float = 180.0
    """Hard stop for one answer."""
    prep_seconds: int = 0
    """Optional preparation countdown before recording starts."""


ENGINES = ("pyttsx3", "piper")
"""The text-to-speech engines `speech.engine` may name (pyttsx3 first: the default)."""


@dataclass(frozen=True, slots=True)
class SpeechSettings:
    """Text-to-speech and recogniser choices."""

    voice: str | None = None
    """pyttsx3 voice id (see `voice-mock voices`); None for the engine default."""
    rate: int = 165
    """Speaking rate in words per minute for questions."""
    model_path: str | None = None
    """Vosk model folder; overridden by --model and VOICE_MOCK_MODEL."""
    engine: str = "pyttsx3"
    """Who speaks the questions: "pyttsx3" (espeak-ng, always there) or "piper".

    Piper (the optional extra ``voice-mock[piper]``, GPL-3.0) sounds far more
    natural; when it or its voice is missing, questions fall back to pyttsx3
    and the app says why once."""
    piper_voice: str | None = None
    """Piper voice: a name in the voices folder (``voice-mock voice list``) or a path to
    its ``.onnx`` file; None takes the first installed voice in the user's language."""


@dataclass(frozen=True, slots=True)
class PracticeSettings:
    """How a practice turn and a mock interview run: thinking time, live nudges, follow-ups."""

    thinking_general_s: int = 0
    """Thinking time before a general (non-behavioural) question, shown as a countdown;
    0 uses `AudioSettings.prep_seconds`."""
    thinking_behavioral_s: int = 0
    """Thinking time before a behavioural (STAR) question: a story takes longer to pick;
    0 uses `AudioSettings.prep_seconds`."""
    live_nudges: bool = True
    """Show a live pace gauge and filler counter, and a gentle nudge when fillers cluster
    or the pace runs far outside the band."""
    follow_ups: bool = True
    """In a mock interview the interviewer may ask one spoken follow-up after an answer."""
    follow_up_share: float = 0.5
    """Share of complete answers that get one of the question's own follow-ups (an answer
    that leaves out part of its story is always asked about it while follow-ups are on)."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a user can configure."""

    audio: AudioSettings = field(default_factory=AudioSettings)
    speech: SpeechSettings = field(default_factory=SpeechSettings)
    thresholds: Thresholds = field(default_factory=Thresholds)
    practice: PracticeSettings = field(default_factory=PracticeSettings)
    recordings_dir: str | None = None
    """Where sessions and their index live; None means ``<home>/sessions``.

    A relative path is taken from the data folder, not from wherever the
    command happens to run."""
    phone_mode: bool = False
    """Start in phone-interview mode."""

    def sessions_dir(self) -> Path:
        if self.recordings_dir:
            folder = Path(self.recordings_dir).expanduser()
            return folder if folder.is_absolute() else home_dir() / folder
        return home_dir() / "sessions"


# --- the rules --------------------------------------------------------------------

Kind = Literal["int", "float", "bool", "text", "device", "pair", "choice"]


@dataclass(frozen=True, slots=True)
class Rule:
    """What one setting may hold: its kind and, for numbers, an inclusive range."""

    kind: Kind
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    """True when `low` itself is not allowed (a length of 0 s makes no sense)."""
    choices: tuple[str, ...] = ()
    """For a "choice": the words the setting may hold (an engine name...)."""

    def describe(self) -> str:
        """The rule as the end of a sentence: "must be a number from 0 to 600"."""
        noun = {
            "int": "a whole number",
            "float": "a number",
            "bool": "true or false",
            "text": "text",
            "device": "a device number or part of its name",
            "pair": "a list of 2 numbers",
            "choice": "one of " + ", ".join(f'"{c}"' for c in self.choices),
        }[self.kind]
        if self.low is None or self.kind in ("bool", "text", "device", "choice"):
            return f"must be {noun}"
        low = f"{self.low:g}"
        high = f"{self.high:g}" if self.high is not None else None
        if self.kind == "pair":
            return f"must be a list of 2 numbers, increasing, each from {low} to {high}"
        above = f"above {low}" if self.low_open else f"from {low}"
        return f"must be {noun} {above}" + (f" to {high}" if high is not None else "")


MAX_TEXT = 1000
"""Longest text setting (a device name, a voice id, a path)."""

RULES: dict[tuple[str, str], Rule] = {
    ("", "recordings_dir"): Rule("text"),
    ("", "phone_mode"): Rule("bool"),
    ("audio", "input_device"): Rule("device"),
    ("audio", "output_device"): Rule("device"),
    ("audio", "sample_rate"): Rule("int", 8000, 192000),
    ("audio", "silence_stop_s"): Rule("float", 0, 600),
    ("audio", "max_answer_s"): Rule("float", 0, 7200, low_open=True),
    ("audio", "prep_seconds"): Rule("int", 0, 600),
    ("speech", "voice"): Rule("text"),
    ("speech", "rate"): Rule("int", 50, 450),
    ("speech", "model_path"): Rule("text"),
    ("speech", "engine"): Rule("choice", choices=ENGINES),
    ("speech", "piper_voice"): Rule("text"),
    ("thresholds", "pause_s"): Rule("float", 0.05, 30),
    ("thresholds", "long_pause_s"): Rule("float", 0.1, 120),
    ("thresholds", "wpm_low"): Rule("float", 10, 500),
    ("thresholds", "wpm_high"): Rule("float", 10, 500),
    ("thresholds", "wpm_target_low"): Rule("float", 10, 500),
    ("thresholds", "wpm_target_high"): Rule("float", 10, 500),
    ("thresholds", "fillers_fluent_per_min"): Rule("float", 0, 100),
    ("thresholds", "fillers_hesitant_per_min"): Rule("float", 0, 100),
    ("thresholds", "filler_burst_window_s"): Rule("float", 0.5, 120),
    ("thresholds", "filler_burst_min"): Rule("int", 2, 100),
    ("thresholds", "pace_window_s"): Rule("float", 2, 3600),
    ("thresholds", "low_conf_drop"): Rule("float", 0, 1),
    ("thresholds", "isolated_gap_s"): Rule("float", 0, 60),
    ("thresholds", "hesitation_min_s"): Rule("float", 0.05, 30),
    ("thresholds", "phone_dead_air_s"): Rule("float", 0.5, 120),
    ("thresholds", "phone_wpm_low"): Rule("float", 10, 500),
    ("thresholds", "phone_wpm_high"): Rule("float", 10, 500),
    ("thresholds", "latency_slow_s"): Rule("float", 0, 300),
    ("thresholds", "latency_very_slow_s"): Rule("float", 0, 300),
    ("thresholds", "coverage_good_ratio"): Rule("float", 0, 1),
    ("thresholds", "coverage_partial_ratio"): Rule("float", 0, 1),
    ("thresholds", "quiet_dbfs"): Rule("float", -120, 0),
    ("thresholds", "trailing_off_db"): Rule("float", 0, 60),
    ("thresholds", "clipped_ratio_max"): Rule("float", 0, 1),
    ("thresholds", "monotone_semitones"): Rule("float", 0, 24),
    ("thresholds", "phone_volume_uneven_db"): Rule("float", 0, 60),
    ("thresholds", "general_target_s"): Rule("pair", 1, 3600),
    ("thresholds", "star_target_s"): Rule("pair", 1, 3600),
    ("practice", "thinking_general_s"): Rule("int", 0, 600),
    ("practice", "thinking_behavioral_s"): Rule("int", 0, 600),
    ("practice", "live_nudges"): Rule("bool"),
    ("practice", "follow_ups"): Rule("bool"),
    ("practice", "follow_up_share"): Rule("float", 0, 1),
}
"""Every setting's kind and range; a field without an entry here gets a rule from its default."""

_SECTIONS: dict[str, type] = {
    "audio": AudioSettings,
    "speech": SpeechSettings,
    "thresholds": Thresholds,
    "practice": PracticeSettings,
}

STALE_DEVICE_VALUES = frozenset({"Select.NULL", "Select.BLANK"})
"""What voice-mock 0.1.0's Settings screen wrote for "System default" (a Textual sentinel
turned into text); read back as the system default so those configs work again."""


def rule_for(section: str, key: str) -> Rule:
    """The rule of a setting, derived from its default when `RULES` has none."""
    known = RULES.get((section, key))
    if known is not None:
        return known
    default = getattr(_SECTIONS[section](), key) if section else getattr(Settings(), key)
    if isinstance(default, bool):
        return Rule("bool")
    if isinstance(default, int):
        return Rule("int", 0)
    if isinstance(default, float):
        return Rule("float")
    if isinstance(default, tuple):
        return Rule("pair", 0)
    return Rule("text")


def check_value(section: str, key: str, value: Any) -> tuple[Any, str | None]:
    """(the value as the setting holds it, None) or (None, why it is refused).

    The reason is the end of a sentence ("must be a number from 0 to 600"), so
    the config loader can name the key and the Settings screen its label.
    """
    rule = rule_for(section, key)
    problem = rule.describe()
    if rule.kind == "bool":
        return (value, None) if isinstance(value, bool) else (None, problem)
    if rule.kind == "text":
        return _check_text(value, problem)
    if rule.kind == "choice":
        word = value.strip().lower() if isinstance(value, str) else None
        return (word, None) if word in rule.choices else (None, problem)
    if rule.kind == "device":
        if isinstance(value, str) and value.strip() in STALE_DEVICE_VALUES:
            return None, None
        if isinstance(value, int) and not isinstance(value, bool):
            return (value, None) if value >= 0 else (None, problem)
        return _check_text(value, problem)
    if rule.kind == "pair":
        if not (isinstance(value, list | tuple) and len(value) == 2):
            return None, problem
        numbers = [_number(v) for v in value]
        if any(n is None or not _in_range(n, rule) for n in numbers) or not (
            numbers[0] is not None and numbers[1] is not None and numbers[0] < numbers[1]
        ):
            return None, problem
        return (float(value[0]), float(value[1])), None
    number = _number(value)
    if number is None or (rule.kind == "int" and not isinstance(value, int)):
        return None, problem
    if not _in_range(number, rule):
        return None, problem
    return (int(value) if rule.kind == "int" else float(value)), None


def _check_text(value: Any, problem: str) -> tuple[Any, str | None]:
    if not isinstance(value, str) or not value.strip():
        return None, problem
    if len(value) > MAX_TEXT or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return None, f"{problem} without control characters, at most {MAX_TEXT} characters"
    return value.strip(), None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _in_range(number: float, rule: Rule) -> bool:
    if rule.low is not None and (number < rule.low or (rule.low_open and number == rule.low)):
        return False
    return rule.high is None or number <= rule.high


@dataclass(frozen=True, slots=True)
class Problem:
    """One setting (or pair of settings) that breaks a rule."""

    keys: tuple[tuple[str, str], ...]
    """(section, key) of each setting involved; section "" for top-level keys."""
    text: str
    """What is wrong, as a sentence without the final period."""


def cross_field_problems(settings: Settings) -> list[Problem]:
    """Rules that tie two settings together: bands go from low to high, and so on."""
    t = settings.thresholds
    pairs: list[tuple[str, str, bool, str]] = [
        ("wpm_target_low", "wpm_target_high", True, "The pace band must go from a lower to a "
         "higher number"),
        ("wpm_low", "wpm_high", True, "The slow flag must be below the fast flag"),
        ("phone_wpm_low", "phone_wpm_high", True, "The phone pace band must go from a lower "
         "to a higher number"),
        ("pause_s", "long_pause_s", True, "A long pause must be longer than a pause"),
        ("latency_slow_s", "latency_very_slow_s", False, "A very slow start must come after a "
         "slow start"),
        ("coverage_partial_ratio", "coverage_good_ratio", False, "Partial key point coverage "
         "must be below good coverage"),
        ("fillers_fluent_per_min", "fillers_hesitant_per_min", False, "The fluent filler rate "
         "must not be above the hesitant one"),
    ]  # fmt: skip
    problems: list[Problem] = []
    for low_key, high_key, strict, text in pairs:
        low, high = getattr(t, low_key), getattr(t, high_key)
        if low > high or (strict and low == high):
            keys = (("thresholds", low_key), ("thresholds", high_key))
            problems.append(Problem(keys, f"{text} ({low:g} and {high:g})"))
    return problems


def check_settings(settings: Settings, where: str = "config") -> Settings:
    """Raise `UserError` naming the keys when `settings` breaks a cross-field rule."""
    problems = cross_field_problems(settings)
    if problems:
        first = problems[0]
        names = " and ".join(_key_name(section, key) for section, key in first.keys)
        raise UserError(f"{where}: {names}: {first.text}.")
    return settings


def _key_name(section: str, key: str) -> str:
    return f"[{section}] {key}" if section else key


def _fields(cls: type) -> Iterator[str]:
    return (f.name for f in dataclasses.fields(cls))


def _section_from(cls: type, section: str, data: Mapping[str, Any], where: str) -> Any:
    known = set(_fields(cls))
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise UserError(
                f"{where}: unknown setting '{key}' in [{section}]; known ones are "
                f"{', '.join(sorted(known))}."
            )
        checked, problem = check_value(section, key, value)
        if problem is not None:
            raise UserError(f"{where}: [{section}] '{key}' {problem}.")
        kwargs[key] = checked
    return cls(**kwargs)


def settings_from_dict(data: Mapping[str, Any], where: str = "config") -> Settings:
    """Typed settings from parsed TOML; the first bad key is one sentence naming it."""
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key in _SECTIONS:
            if not isinstance(value, dict):
                raise UserError(f"{where}: [{key}] must be a table.")
            kwargs[key] = _section_from(_SECTIONS[key], key, value, where)
        elif key in ("recordings_dir", "phone_mode"):
            checked, problem = check_value("", key, value)
            if problem is not None:
                raise UserError(f"{where}: '{key}' {problem}.")
            kwargs[key] = checked
        else:
            known = ", ".join(["phone_mode", "recordings_dir", *(f"[{s}]" for s in _SECTIONS)])
            raise UserError(f"{where}: unknown setting '{key}'; known ones are {known}.")
    return check_settings(Settings(**kwargs), where)


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
    data["practice"] = clean(settings.practice)
    return data


def _read_config(path: Path) -> str | None:
    try:
        if path.is_file() and path.stat().st_size > MAX_CONFIG_BYTES:
            raise UserError(f"{path} is too large to be a voice-mock config file.")
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UserError(f"{path} could not be read: {exc.strerror or exc}.") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{path} is not UTF-8 text.") from None


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file; a missing file means defaults, a broken one a `UserError`."""
    path = path or config_path()
    text = _read_config(path)
    if text is None:
        return Settings()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path} is not valid TOML: {exc}.") from None
    except RecursionError:
        raise UserError(f"{path} is nested too deeply to be a voice-mock config file.") from None
    return settings_from_dict(data, where=str(path))


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write `settings`, keeping the file's comments, order and layout (tomlkit)."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    path = path or config_path()
    check_settings(settings, str(path))
    text = _read_config(path)
    try:
        document = tomlkit.parse(text) if text else tomlkit.document()
    except TOMLKitError:
        document = tomlkit.document()  # unreadable: replaced (load_settings already refused it)
    data = settings_to_dict(settings)
    for key in ("recordings_dir", "phone_mode"):
        if key in data:
            document[key] = data[key]
        elif key in document:
            del document[key]
    for section in _SECTIONS:
        values = data[section]
        table = document.get(section)
        if not isinstance(table, tomlkit.items.Table):
            table = tomlkit.table()
            document[section] = table
        for key in list(table):
            if key not in values:
                del table[key]
        for key, value in values.items():
            table[key] = value
    atomic_write_text(path, tomlkit.dumps(document))
    return path
