"""Voices for the user: sorted with their own language first, and Piper's voice files.

Two engines speak questions (see `tts` and `piper`). Both offer voices in
many languages, and a list sorted by language code buries the one the user
wants (espeak-ng's 130 voices put Czech, Chuvash and Welsh before English).
`sorted_for_user` puts the user's language first (from the locale:
``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``), their region first within
it, then English (the language of the bundled banks), then the rest, each by
name.

Piper voices are two files, ``NAME.onnx`` (the network) and
``NAME.onnx.json`` (its settings: sample rate, phonemes, language). They live
in the voices folder (``<home>/voices/NAME/``), or anywhere the
``speech.piper_voice`` setting points to. `download_voice` fetches one with
the generic, safe download code (`speech.download`: a deadline, a stall
limit, a lock against a second download of the same voice, and no
half-finished folder left behind, ever); a short `PIPER_CATALOG` names a few
known voices, and any other name in Piper's naming scheme
(``en_GB-alba-medium``) is found in the same published collection.

Only the standard library is imported here: `voice-mock voices` and the
settings screen list voices without loading any engine.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from voice_mock.config import home_dir
from voice_mock.errors import UserError

T = TypeVar("T")

PREVIEW_SENTENCE = (
    "Hello, and thanks for making the time today. To start, tell me a little about yourself."
)
"""What a voice preview says: the kind of line an interviewer opens with."""

APP_LANGUAGE = "en"
"""The language of the bundled question banks: second in every list, and first when the
locale names none (``C``, ``POSIX``, unset)."""

ENV_VOICE_BASE_URL = "VOICE_MOCK_VOICE_BASE_URL"
"""Overrides where Piper voices are downloaded from: ``<base>/NAME.onnx`` and ``.onnx.json``
(a mirror, or a local server in tests)."""

DEFAULT_BASE_URL = "https://huggingface.co/rhasspy/piper-voices/resolve/v1.0.0"
"""The published Piper voices (release v1.0.0), laid out as
``<family>/<lang_REGION>/<speaker>/<quality>/<NAME>.onnx``."""

VOICE_NAME = re.compile(
    r"^(?P<family>[a-z]{2,3})_(?P<region>[A-Z]{2})-(?P<speaker>[A-Za-z0-9_]+)"
    r"-(?P<quality>x_low|low|medium|high)$"
)
"""Piper's voice names: ``en_US-lessac-medium`` is language_REGION-speaker-quality."""

MIN_MODEL_BYTES = 1 << 20
"""A Piper network is tens of megabytes; anything under a megabyte is not one (an error page)."""
MAX_CONFIG_BYTES = 4 << 20
"""A voice's JSON settings are a few kilobytes (a phoneme table); refuse anything huge."""
MAX_CARD_BYTES = 64 << 10
"""A voice's MODEL_CARD is a few lines of text."""
ONNX_FIRST_BYTE = 0x08
"""An ONNX file is a protobuf ModelProto whose first field is ``ir_version`` (tag 0x08)."""


# --- sorting for the user ---------------------------------------------------------


def user_language(env: Mapping[str, str] | None = None) -> tuple[str, str | None]:
    """(language, REGION or None) from the locale, e.g. ``en_GB.UTF-8`` -> ("en", "GB").

    The first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set decides, as
    for any POSIX program. ``C`` and ``POSIX`` (and nothing set) say no
    language, so the app's own language, English, comes first.
    """
    env = os.environ if env is None else env
    value = ""
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(key, "").strip()
        if value:
            break
    code = value.split(".", 1)[0].split("@", 1)[0]
    if not code or code.upper() in ("C", "POSIX"):
        return APP_LANGUAGE, None
    language, region = split_tag(code)
    return (language or APP_LANGUAGE), region


def split_tag(tag: str) -> tuple[str, str | None]:
    """(language, REGION or None) of a language tag: ``en-gb-scotland`` -> ("en", "GB").

    Accepts espeak-ng's tags (``en-gb``, ``en-029``, ``cmn-latn-pinyin``) and
    Piper's (``en_US``); a region is two letters or three digits.
    """
    parts = [p for p in re.split(r"[-_]", tag.strip()) if p]
    if not parts:
        return "", None
    language = parts[0].lower()
    region = None
    if len(parts) > 1 and (
        (len(parts[1]) == 2 and parts[1].isalpha()) or (len(parts[1]) == 3 and parts[1].isdigit())
    ):
        region = parts[1].upper()
    return language, region


def language_rank(tags: Iterable[str], user: tuple[str, str | None]) -> int:
    """0: the user's language and region; 1: their language; 2: English; 3: anything else."""
    language, region = user
    best = 3
    for tag in tags:
        lang, reg = split_tag(tag)
        if lang == language:
            best = min(best, 0 if region is not None and reg == region else 1)
        elif lang == APP_LANGUAGE:
            best = min(best, 2)
    return best


def sorted_for_user(
    items: Iterable[T],
    *,
    languages: Callable[[T], Sequence[str]],
    name: Callable[[T], str],
    user: tuple[str, str | None] | None = None,
) -> list[T]:
    """`items` with the user's language first (their region first), then English, then by name."""
    who = user_language() if user is None else user
    return sorted(
        items, key=lambda item: (language_rank(languages(item), who), name(item).casefold())
    )


# --- Piper voice files ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PiperVoiceFile:
    """An installed Piper voice: its network, its settings, and what they say about it."""

    name: str
    """The file name without ``.onnx`` (``en_US-joe-medium``)."""
    model: Path
    """The ``.onnx`` network."""
    config: Path
    """The ``.onnx.json`` settings beside it."""
    language: str | None
    """The language tag its settings give (``en_US``), or None."""
    sample_rate: int
    """The rate it speaks at (22050 Hz for most medium voices)."""
    licence: str | None = None
    """The licence its MODEL_CARD gives (``CC0``...), when the card is beside it."""

    @property
    def languages(self) -> tuple[str, ...]:
        return (self.language,) if self.language else ()

    def fingerprint(self) -> str:
        """Changes when the files do, so a replaced voice renders its questions again."""
        parts = []
        for path in (self.model, self.config):
            try:
                info = path.stat()
            except OSError:
                parts.append(f"{path}:missing")
                continue
            parts.append(f"{path.resolve()}:{info.st_size}:{info.st_mtime_ns}")
        return "|".join(parts)


def voices_dir() -> Path:
    """Where `voice-mock voice download` puts Piper voices: ``<home>/voices``."""
    return home_dir() / "voices"


def config_problem(data: object) -> str | None:
    """What keeps parsed JSON from being a Piper voice's settings, or None."""
    if not isinstance(data, dict):
        return "its settings are not a JSON object"
    audio = data.get("audio")
    rate = audio.get("sample_rate") if isinstance(audio, dict) else None
    if not isinstance(rate, int) or isinstance(rate, bool) or not 4000 <= rate <= 192000:
        return "its settings give no audio.sample_rate"
    if not isinstance(data.get("phoneme_id_map"), dict) or not data.get("phoneme_id_map"):
        return "its settings have no phoneme_id_map"
    if not isinstance(data.get("num_symbols"), int):
        return "its settings have no num_symbols"
    return None


def _read_config(path: Path) -> tuple[dict[str, object] | None, str | None]:
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            return None, f"{path.name} is too large to be a voice's settings"
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return None, f"{path.name} (its settings) is missing"
    except OSError as exc:
        return None, f"{path.name} could not be read ({exc.strerror or exc})"
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None, f"{path.name} is not valid JSON"
    problem = config_problem(data)
    return (data if problem is None else None), problem


def model_problem(path: Path) -> str | None:
    """What keeps `path` from being a Piper network (missing, tiny, not ONNX), or None."""
    try:
        if not path.is_file():
            return "the .onnx file does not exist" if not path.exists() else "it is not a file"
        size = path.stat().st_size
        with path.open("rb") as fh:
            first = fh.read(1)
    except OSError as exc:
        return f"the .onnx file could not be read ({exc.strerror or exc})"
    if size < MIN_MODEL_BYTES or not first or first[0] != ONNX_FIRST_BYTE:
        return "the .onnx file is not an ONNX network"
    return None


def _load(model: Path) -> tuple[PiperVoiceFile | None, str | None]:
    """(the voice, None) or (None, what is wrong with it)."""
    problem = model_problem(model)
    config = model.with_name(model.name + ".json")
    data: dict[str, object] | None = None
    if problem is None:
        data, problem = _read_config(config)
    if problem is not None or data is None:
        return None, problem or "it cannot be read"
    language = data.get("language")
    code = language.get("code") if isinstance(language, dict) else None
    if not isinstance(code, str) or not code:
        espeak = data.get("espeak")
        code = espeak.get("voice") if isinstance(espeak, dict) else None
    audio = data["audio"]
    assert isinstance(audio, dict)
    stem = model.name[: -len(".onnx")] if model.name.endswith(".onnx") else model.stem
    voice = PiperVoiceFile(
        name=stem,
        model=model,
        config=config,
        language=code if isinstance(code, str) and code else None,
        sample_rate=int(audio["sample_rate"]),
        licence=card_licence(model),
    )
    return voice, None


def card_licence(model: Path) -> str | None:
    """The ``License:`` line of the MODEL_CARD beside `model`, when that folder is its own.

    Piper's collection publishes a MODEL_CARD with each voice (its dataset and
    licence); the download keeps it, and a folder holding one voice holds its
    card. A folder of several voices has no card that could be told apart.
    """
    card = model.parent / "MODEL_CARD"
    try:
        if len(list(model.parent.glob("*.onnx"))) != 1 or card.stat().st_size > MAX_CARD_BYTES:
            return None
        text = card.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = re.search(r"^\W*licen[cs]e\W*:\s*(.+?)\s*$", text, re.IGNORECASE | re.MULTILINE)
    return match.group(1)[:60] if match else None


def read_voice(model: Path) -> PiperVoiceFile:
    """The voice whose network is `model` (settings in ``.onnx.json``); `UserError` if broken."""
    model = Path(model).expanduser()
    voice, problem = _load(model)
    if voice is None:
        raise UserError(f"{model} is not a usable Piper voice: {problem}.")
    return voice


def voice_dir_problem(folder: Path) -> str | None:
    """What keeps ``folder`` (``voices/NAME``) from holding the voice NAME, or None."""
    folder = Path(folder)
    if not folder.is_dir():
        return "the folder does not exist" if not folder.exists() else "it is not a folder"
    return _load(folder / f"{folder.name}.onnx")[1]


def installed_voices(folder: Path | None = None) -> list[PiperVoiceFile]:
    """Usable voices in the voices folder: ``NAME/NAME.onnx`` folders and loose ``NAME.onnx``.

    Hidden entries (downloads in progress) and broken voices are left out;
    the order is by name (`sorted_for_user` puts the user's first).
    """
    folder = voices_dir() if folder is None else Path(folder)
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError:
        return []
    found: list[PiperVoiceFile] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        model = entry / f"{entry.name}.onnx" if entry.is_dir() else entry
        if not model.name.endswith(".onnx"):
            continue
        try:
            found.append(read_voice(model))
        except UserError:
            continue
    return found


def looks_like_path(value: str) -> bool:
    return "/" in value or "\\" in value or value.startswith("~") or value.endswith(".onnx")


def find_voice(setting: str | None, folder: Path | None = None) -> PiperVoiceFile:
    """The Piper voice `setting` names (a name or a path), or the user's first installed one.

    Every way it can fail is a `UserError` that says what to do.
    """
    if setting and looks_like_path(setting):
        return read_voice(Path(setting))
    voices = installed_voices(folder)
    if setting:
        for voice in voices:
            if voice.name == setting:
                return voice
        where = voices_dir() if folder is None else folder
        broken = Path(where) / setting
        if broken.exists():
            raise UserError(
                f"The Piper voice {broken} is not usable ({voice_dir_problem(broken)}); "
                f"remove it and run `voice-mock voice download {setting}` again."
            )
        raise UserError(
            f"The Piper voice '{setting}' is not installed; run "
            f"`voice-mock voice download {setting}` (installed ones: `voice-mock voice list`)."
        )
    if not voices:
        default = PIPER_CATALOG[DEFAULT_PIPER_VOICE]
        raise UserError(
            "No Piper voice is installed; run `voice-mock voice download` to fetch "
            f"{default.name} (about {default.approx_mb} MB)."
        )
    return sorted_for_user(voices, languages=lambda v: v.languages, name=lambda v: v.name)[0]


# --- the catalogue and downloads --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CatalogVoice:
    """A Piper voice `voice-mock voice download` knows by name."""

    name: str
    approx_mb: int
    """Download size shown before the user commits to it."""
    description: str
    """One line for `voice-mock voice list`."""
    size_bytes: int | None = None
    """Exact size of the .onnx when known; otherwise only Content-Length is checked."""

    @property
    def language(self) -> str:
        return self.name.split("-", 1)[0]

    @property
    def languages(self) -> tuple[str, ...]:
        return (self.language,)


PIPER_CATALOG: dict[str, CatalogVoice] = {
    voice.name: voice
    for voice in (
        CatalogVoice("en_US-lessac-medium", 63, "US English, a clear female voice."),
        CatalogVoice("en_US-amy-medium", 63, "US English, a female voice."),
        CatalogVoice("en_US-ryan-medium", 63, "US English, a male voice."),
        CatalogVoice("en_US-joe-medium", 63, "US English, a male voice (CC0)."),
        CatalogVoice("en_GB-alba-medium", 63, "British English (Scottish), a female voice."),
        CatalogVoice(
            "en_GB-northern_english_male-medium", 63, "British English (northern), a male voice."
        ),
        CatalogVoice("de_DE-thorsten-medium", 63, "German, a male voice."),
        CatalogVoice("fr_FR-siwis-medium", 63, "French, a female voice."),
        CatalogVoice("es_ES-davefx-medium", 63, "Spanish (Spain), a male voice."),
    )
}
DEFAULT_PIPER_VOICE = "en_US-lessac-medium"

ProgressCallback = Callable[[int, int | None], None]
"""The same as `download.ProgressCallback`, without importing the download code."""


def voice_url(name: str, url: str | None = None, base_url: str | None = None) -> str:
    """Where the network of voice `name` is: `url`, else the base URL's, else the collection's."""
    if url:
        return url
    base = base_url or os.environ.get(ENV_VOICE_BASE_URL, "").strip() or None
    if base:
        return f"{base.rstrip('/')}/{urllib.parse.quote(name)}.onnx"
    match = VOICE_NAME.match(name)
    if match is None:
        known = ", ".join(PIPER_CATALOG)
        raise UserError(
            f"Unknown Piper voice '{name}': a voice name looks like en_US-lessac-medium "
            f"(language_REGION-speaker-quality); known voices are {known}; "
            "or give the .onnx address with --url."
        )
    family, region, speaker, quality = match.group("family", "region", "speaker", "quality")
    return f"{DEFAULT_BASE_URL}/{family}/{family}_{region}/{speaker}/{quality}/{name}.onnx"


def config_url(model_url: str) -> str:
    """The settings file beside a network: ``.../NAME.onnx`` -> ``.../NAME.onnx.json``.

    A query string (``?download=true``) stays at the end; a data: URL has no
    neighbour, so it cannot be used.
    """
    parts = urllib.parse.urlsplit(model_url)
    if parts.scheme.lower() == "data":
        raise UserError(
            "A data: URL cannot name a Piper voice (its .onnx.json must sit beside it)."
        )
    return urllib.parse.urlunsplit(parts._replace(path=parts.path + ".json"))


def card_url(model_url: str) -> str:
    """The MODEL_CARD beside a network in Piper's collection (one folder per voice)."""
    parts = urllib.parse.urlsplit(model_url)
    folder = parts.path.rsplit("/", 1)[0]
    return urllib.parse.urlunsplit(parts._replace(path=f"{folder}/MODEL_CARD"))


def _has_own_card(model_url: str) -> bool:
    """Whether the folder of `model_url` is the voice's own: Piper's collection, or a
    folder on this machine holding just this one voice (an unpacked package, a copy)."""
    if model_url.startswith(DEFAULT_BASE_URL):
        return True
    parts = urllib.parse.urlsplit(model_url)
    if parts.scheme.lower() != "file":
        return False
    folder = Path(urllib.parse.unquote(parts.path)).parent
    try:
        return len(list(folder.glob("*.onnx"))) == 1
    except OSError:
        return False


def _fetch_card(download: Any, source: str, target: Path, stall_s: float) -> None:
    """Keep the voice's MODEL_CARD (its licence) when the collection has one; never fails."""
    try:
        with target.open("wb") as fh:
            download.fetch(
                source,
                fh,
                label="MODEL_CARD",
                max_bytes=MAX_CARD_BYTES,
                deadline_s=min(60.0, stall_s * 4),
                stall_s=stall_s,
            )
    except (UserError, OSError):
        target.unlink(missing_ok=True)


def download_voice(
    name: str,
    dest: Path | None = None,
    *,
    url: str | None = None,
    progress: ProgressCallback | None = None,
    base_url: str | None = None,
    deadline_s: float | None = None,
    stall_s: float | None = None,
) -> Path:
    """Download Piper voice `name` (its .onnx and .onnx.json) into ``dest/name``; returns that.

    An installed voice returns at once. The network's address is `url`, else
    ``<base_url or $VOICE_MOCK_VOICE_BASE_URL>/NAME.onnx``, else the
    published collection's; the settings file is the same address plus
    ``.json`` (and from the collection its MODEL_CARD, which names the
    voice's licence, is kept when it can be had). The small settings file
    comes first and is checked, so a wrong name fails before tens of
    megabytes. Both go into a hidden folder beside
    the target under the install's lock, are checked, and the folder is
    renamed into place; every failure is one `UserError` and leaves nothing
    behind, and what a killed download left in `dest` is removed first.
    """
    from voice_mock.speech import download

    download.check_name(name, "voice")
    dest = voices_dir() if dest is None else Path(dest).expanduser()
    target = dest / name
    if voice_dir_problem(target) is None:
        download.clean_leftovers(dest)
        return target
    if target.exists():
        raise UserError(
            f"{target} already exists but is not a complete voice "
            f"({voice_dir_problem(target)}); remove it and download again."
        )
    model_source = download.check_url(voice_url(name, url, base_url))
    if model_source.lower().endswith(".onnx.json"):
        model_source = model_source[: -len(".json")]
    settings_source = download.check_url(config_url(model_source))
    card_source = card_url(model_source) if _has_own_card(model_source) else None
    deadline = download.DEFAULT_DEADLINE_S if deadline_s is None else deadline_s
    stall = download.DEFAULT_STALL_S if stall_s is None else stall_s
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"The voices folder {dest} could not be created: {exc}.") from None
    try:
        with download.Staging(dest, name, kind="voice") as staging:
            if voice_dir_problem(target) is None:  # another download finished meanwhile
                return target
            folder = staging.unpack_dir()
            settings_path = folder / f"{name}.onnx.json"
            with settings_path.open("wb") as fh:
                download.fetch(
                    settings_source,
                    fh,
                    label=f"{name}.onnx.json",
                    max_bytes=MAX_CONFIG_BYTES,
                    deadline_s=deadline,
                    stall_s=stall,
                )
            _, problem = _read_config(settings_path)
            if problem is not None:
                raise UserError(
                    f"{settings_source} is not the settings of a Piper voice ({problem})."
                )
            model_path = folder / f"{name}.onnx"
            with model_path.open("wb") as fh:
                download.fetch(
                    model_source,
                    fh,
                    label=name,
                    expected_bytes=PIPER_CATALOG[name].size_bytes
                    if name in PIPER_CATALOG
                    else None,
                    progress=progress,
                    deadline_s=deadline,
                    stall_s=stall,
                )
            problem = model_problem(model_path)
            if problem is not None:
                raise UserError(f"{model_source} is not a Piper voice ({problem}).")
            if card_source is not None:
                _fetch_card(download, card_source, folder / "MODEL_CARD", stall)
            try:
                os.rename(folder, target)
            except OSError:
                if voice_dir_problem(target) is None:
                    return target
                raise
            return target
    except OSError as exc:
        raise UserError(f"Installing {name} into {dest} failed: {exc}.") from None
