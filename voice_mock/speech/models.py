"""Finding, checking and downloading Vosk models.

Lookup order (DESIGN.md): an explicit ``--model PATH``, then the
``VOICE_MOCK_MODEL`` environment variable, then ``speech.model_path`` in the
config file, then the first model folder (by name) in the models folder. A
path the user named that is not a model is an error that says what is
missing; silently falling through to another model would transcribe with a
model the user did not ask for.

Downloads stream to a hidden ``.NAME.part`` file, are checked against the
announced size, extracted safely (no absolute paths, ``..`` or symlinks: zip
slip) into a hidden temporary folder, checked to be a real model and only then
renamed into place. Every failure removes the partial files, so a
half-finished download never looks like a model.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from voice_mock import config
from voice_mock.config import ENV_MODEL, Settings
from voice_mock.errors import UserError

if TYPE_CHECKING:
    import zipfile

# urllib.request (with http.client, ssl and email) and zipfile are imported
# where a download needs them: the app's start-up imports this module to find
# the model, and they cost about 50 ms that the first screen would wait for.

ENV_BASE_URL = "VOICE_MOCK_MODEL_BASE_URL"
"""Overrides where models are downloaded from (mirrors, tests)."""

DEFAULT_BASE_URL = "https://alphacephei.com/vosk/models"

CHUNK_BYTES = 1 << 20
MAX_UNPACKED_BYTES = 8 << 30
"""Refuse archives that claim to unpack to more than this (a zip bomb, not a model)."""


@dataclass(frozen=True, slots=True)
class CatalogModel:
    """A model `voice-mock model download` knows by name."""

    name: str
    """Folder name inside the zip and on disk."""
    url: str
    """Where the official zip lives."""
    approx_mb: int
    """Download size shown to the user before they commit to it."""
    wer_percent: float
    """Word error rate on LibriSpeech test-clean, as published by Alpha Cephei."""
    description: str
    """One line for `voice-mock model list`."""
    size_bytes: int | None = None
    """Exact zip size when known; otherwise only Content-Length is checked."""


MODEL_CATALOG: dict[str, CatalogModel] = {
    "vosk-model-small-en-us-0.15": CatalogModel(
        name="vosk-model-small-en-us-0.15",
        url=f"{DEFAULT_BASE_URL}/vosk-model-small-en-us-0.15.zip",
        approx_mb=40,
        wer_percent=9.85,
        description="Small US English model: fast, light, good for live practice.",
    ),
    "vosk-model-en-us-0.22-lgraph": CatalogModel(
        name="vosk-model-en-us-0.22-lgraph",
        url=f"{DEFAULT_BASE_URL}/vosk-model-en-us-0.22-lgraph.zip",
        approx_mb=128,
        wer_percent=7.82,
        description="Larger US English model: more accurate, slower to load.",
    ),
}
DEFAULT_MODEL = "vosk-model-small-en-us-0.15"

ProgressCallback = Callable[[int, int | None], None]


# --- recognising a model folder -------------------------------------------------


def model_dir_problem(path: Path) -> str | None:
    """What keeps `path` from being a Vosk model folder, or None when it is one.

    Mirrors what libvosk's model loader needs: the acoustic model
    (``am/final.mdl``, or ``final.mdl`` in the old flat layout), the feature and
    decoder configuration (``conf/mfcc.conf`` + ``conf/model.conf``, or a flat
    ``mfcc.conf``) and a decoding graph
    (``HCLG.fst``, or ``HCLr.fst`` + ``Gr.fst`` for lookahead models) in
    ``graph/`` or at the top.
    """
    path = Path(path)
    if not path.exists():
        return "the folder does not exist"
    if not path.is_dir():
        return "it is a file, not a model folder"
    if (path / "am" / "final.mdl").is_file():
        conf, graph = path / "conf", path / "graph"
    elif (path / "final.mdl").is_file():
        conf, graph = path, path
    else:
        return "it has no am/final.mdl (acoustic model)"
    needed = ["mfcc.conf", "model.conf"] if conf != path else ["mfcc.conf"]
    for name in needed:
        if not (conf / name).is_file():
            return f"it has no {(conf / name).relative_to(path)} (decoder settings)"
    has_graph = (graph / "HCLG.fst").is_file() or (
        (graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file()
    )
    if not has_graph:
        where = "graph/" if graph != path else "the folder"
        return f"{where} has no HCLG.fst or HCLr.fst + Gr.fst (decoding graph)"
    return None


def is_model_dir(path: Path) -> bool:
    """True when `path` looks like a complete Vosk model folder."""
    return model_dir_problem(path) is None


def installed_models(folder: Path | None = None) -> list[Path]:
    """Model folders directly inside `folder` (default: the models folder), sorted by name.

    Hidden entries are skipped: they are downloads in progress.
    """
    folder = config.default_models_dir() if folder is None else Path(folder)
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError:
        return []
    return [p for p in entries if not p.name.startswith(".") and is_model_dir(p)]


# --- lookup order -----------------------------------------------------------------

SOURCE_EXPLICIT = "--model"
SOURCE_ENV = ENV_MODEL
SOURCE_CONFIG = "config speech.model_path"
SOURCE_MODELS_DIR = "models folder"


def _expand(value: str | os.PathLike[str]) -> Path:
    return Path(value).expanduser()


def model_search_order(
    explicit: Path | None, settings: Settings | None
) -> list[tuple[str, Path | None]]:
    """Every place a model is looked for, in order, as (source label, candidate or None).

    The models-folder entry is its first model folder, or None when it has
    none. `settings` None means "read the config file".
    """
    if settings is None:
        settings = config.load_settings()
    env = os.environ.get(ENV_MODEL, "").strip()
    configured = settings.speech.model_path
    found = installed_models()
    return [
        (SOURCE_EXPLICIT, _expand(explicit) if explicit else None),
        (SOURCE_ENV, _expand(env) if env else None),
        (SOURCE_CONFIG, _expand(configured) if configured else None),
        (SOURCE_MODELS_DIR, found[0] if found else None),
    ]


def find_model(explicit: Path | None = None, settings: Settings | None = None) -> Path | None:
    """The model to use, or None when there is none anywhere.

    A path named by the user (flag, environment or config) that is not a
    model raises `UserError` saying what is missing.
    """
    for source, candidate in model_search_order(explicit, settings):
        if candidate is None:
            continue
        problem = model_dir_problem(candidate)
        if problem is None:
            return candidate
        where = {
            SOURCE_EXPLICIT: "--model",
            SOURCE_ENV: f"{ENV_MODEL}",
            SOURCE_CONFIG: f"speech.model_path in {config.config_path()}",
        }.get(source, source)
        raise UserError(
            f"The model folder {candidate} (from {where}) is not a Vosk model: {problem}."
        )
    return None


def model_missing_message() -> str:
    """The one sentence shown wherever a transcript is needed but no model exists."""
    default = MODEL_CATALOG[DEFAULT_MODEL]
    return (
        f"No Vosk speech model was found: run `voice-mock model download` to fetch "
        f"{default.name} (about {default.approx_mb} MB) into {config.default_models_dir()}, "
        f"or pass --model PATH (or set {ENV_MODEL}) to use a model folder you already have."
    )


# --- download ------------------------------------------------------------------------


def _model_url(name: str, url: str | None, base_url: str | None) -> str:
    if url:
        return url
    base = base_url or os.environ.get(ENV_BASE_URL, "").strip() or None
    if base:
        return f"{base.rstrip('/')}/{urllib.parse.quote(name)}.zip"
    if name in MODEL_CATALOG:
        return MODEL_CATALOG[name].url
    known = ", ".join(MODEL_CATALOG)
    raise UserError(f"Unknown model '{name}'; known models are: {known}.")


def _check_name(name: str) -> None:
    if not name or name in {".", ".."} or "/" in name or "\\" in name or name.startswith("."):
        raise UserError(f"'{name}' is not a valid model name (it must be a plain folder name).")


def download_model(
    name: str = DEFAULT_MODEL,
    dest: Path | None = None,
    *,
    url: str | None = None,
    progress: ProgressCallback | None = None,
    base_url: str | None = None,
) -> Path:
    """Download, verify and install model `name` into `dest`; returns its folder.

    An already-installed model returns at once. `progress(done, total)` is
    called as bytes arrive (`total` None when the server does not say). The
    URL is `url`, else ``<base_url or $VOICE_MOCK_MODEL_BASE_URL>/<name>.zip``,
    else the catalogue's. Network, size, archive and layout problems raise
    `UserError`; nothing half-finished is left behind.
    """
    _check_name(name)
    dest = config.default_models_dir() if dest is None else Path(dest).expanduser()
    target = dest / name
    if is_model_dir(target):
        return target
    if target.exists():
        raise UserError(
            f"{target} already exists but is not a complete model "
            f"({model_dir_problem(target)}); remove it and download again."
        )
    source = _model_url(name, url, base_url)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"The models folder {dest} could not be created: {exc}.") from None
    part = dest / f".{name}.part"
    unpack: Path | None = None
    try:
        _fetch(source, part, name, progress)
        unpack = Path(tempfile.mkdtemp(prefix=f".{name}.unpack-", dir=dest))
        _safe_extract(part, unpack, source)
        root = _model_root(unpack, source)
        try:
            os.rename(root, target)
        except OSError:
            if is_model_dir(target):  # another download finished first
                return target
            raise
        return target
    except OSError as exc:
        raise UserError(f"Installing {name} into {dest} failed: {exc}.") from None
    finally:
        part.unlink(missing_ok=True)
        if unpack is not None:
            shutil.rmtree(unpack, ignore_errors=True)


def _fetch(source: str, part: Path, name: str, progress: ProgressCallback | None) -> None:
    """Stream `source` into `part`, checking the byte count against what was announced."""
    import urllib.error
    import urllib.request
    from http.client import HTTPException

    expected = MODEL_CATALOG[name].size_bytes if name in MODEL_CATALOG else None
    request = urllib.request.Request(source, headers={"User-Agent": "voice-mock"})
    done = 0
    try:
        with urllib.request.urlopen(request, timeout=30) as response, part.open("wb") as out:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            if total is not None and expected is not None and total != expected:
                raise UserError(
                    f"The server offers {total} bytes for {name} but {expected} were expected; "
                    "refusing a file that is not the published model."
                )
            if progress is not None:
                progress(0, total)
            while True:
                block = response.read(CHUNK_BYTES)
                if not block:
                    break
                out.write(block)
                done += len(block)
                if progress is not None:
                    progress(done, total)
    except urllib.error.HTTPError as exc:
        raise UserError(f"Downloading {source} failed: HTTP {exc.code} {exc.reason}.") from None
    except urllib.error.URLError as exc:
        raise UserError(f"Could not reach {source} to download {name}: {exc.reason}.") from None
    except (HTTPException, TimeoutError, ConnectionError) as exc:
        raise UserError(
            f"The download of {name} from {source} was interrupted ({exc or type(exc).__name__})."
        ) from None
    want = total if total is not None else expected
    if want is not None and done != want:
        raise UserError(
            f"The download of {name} from {source} was cut short: got {done} of {want} bytes."
        )
    if done == 0:
        raise UserError(f"The download of {name} from {source} was empty.")


def _safe_extract(archive: Path, into: Path, source: str) -> None:
    """Extract `archive` under `into`, refusing any entry that would land outside it."""
    import zipfile

    base = into.resolve()
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
                raise UserError(f"The archive from {source} unpacks to an implausible size.")
            for info in infos:
                target = _entry_target(info, base, source)
                if target is None:
                    continue
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("wb") as dst:
                    shutil.copyfileobj(src, dst, CHUNK_BYTES)
    except zipfile.BadZipFile:
        raise UserError(f"The file downloaded from {source} is not a valid zip archive.") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise UserError(f"The archive from {source} could not be unpacked ({exc}).") from None


def _entry_target(info: zipfile.ZipInfo, base: Path, source: str) -> Path | None:
    """Where a zip entry may be written, or an error for a path-escaping entry."""
    raw = info.filename.replace("\\", "/")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise UserError(f"The archive from {source} contains a symbolic link ({raw}); refusing it.")
    pure = PurePosixPath(raw)
    if raw.startswith("/") or (len(raw) > 1 and raw[1] == ":") or ".." in pure.parts:
        raise UserError(
            f"The archive from {source} contains an unsafe path ({info.filename}); refusing it."
        )
    parts = [p for p in pure.parts if p not in ("", ".")]
    if not parts:
        return None
    target = base.joinpath(*parts)
    resolved = target.resolve()
    if resolved != base and base not in resolved.parents:
        raise UserError(
            f"The archive from {source} contains an unsafe path ({info.filename}); refusing it."
        )
    return target


def _model_root(unpacked: Path, source: str) -> Path:
    """The model folder inside an unpacked archive: the top, or its one subfolder."""
    if is_model_dir(unpacked):
        return unpacked
    children = [p for p in unpacked.iterdir() if p.is_dir() and p.name not in {"__MACOSX"}]
    if len(children) == 1 and is_model_dir(children[0]):
        return children[0]
    detail = model_dir_problem(children[0]) if len(children) == 1 else "no single model folder"
    raise UserError(f"The archive from {source} does not hold a Vosk model ({detail}).")
