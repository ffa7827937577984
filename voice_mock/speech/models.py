"""Finding, checking and downloading Vosk models.

Lookup order (DESIGN.md): an explicit ``--model PATH``, then the
``VOICE_MOCK_MODEL`` environment variable, then ``speech.model_path`` in the
config file, then the first model folder (by name) in the models folder. A
path the user named that is not a model is an error that says what is
missing; silently falling through to another model would transcribe with a
model the user did not ask for.

Downloads go through `voice_mock.speech.download` (shared with every other
downloader): a hidden ``.NAME.part`` file checked against the announced size,
an overall deadline and a stall limit, safe extraction (no absolute paths,
``..``, symlinks or encrypted entries) into a hidden temporary folder; this
module checks that what was unpacked is a real model before it is renamed
into place. Every failure removes the partial files, so a half-finished
download never looks like a model, and leftovers of a killed download are
removed by the next one.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from voice_mock import config
from voice_mock.config import ENV_MODEL, Settings
from voice_mock.errors import UserError

# voice_mock.speech.download (and with it urllib.request, http.client, ssl and
# zipfile) is imported where a download needs it: the app's start-up imports
# this module to find the model, and they cost about 50 ms that the first
# screen would wait for.

ENV_BASE_URL = "VOICE_MOCK_MODEL_BASE_URL"
"""Overrides where models are downloaded from (mirrors, tests)."""

DEFAULT_BASE_URL = "https://alphacephei.com/vosk/models"


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
"""The same as `download.ProgressCallback`, without importing the download code."""


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


def download_model(
    name: str = DEFAULT_MODEL,
    dest: Path | None = None,
    *,
    url: str | None = None,
    progress: ProgressCallback | None = None,
    base_url: str | None = None,
    deadline_s: float | None = None,
    stall_s: float | None = None,
) -> Path:
    """Download, verify and install model `name` into `dest`; returns its folder.

    An already-installed model returns at once. `progress(done, total)` is
    called as bytes arrive (`total` None when the server does not say). The
    URL is `url`, else ``<base_url or $VOICE_MOCK_MODEL_BASE_URL>/<name>.zip``,
    else the catalogue's. The download must finish within `deadline_s` and
    may not stall for `stall_s` (defaults: `download.DEFAULT_DEADLINE_S`,
    `download.DEFAULT_STALL_S`). Bad names or URLs, network, size, archive and
    layout problems raise `UserError`; nothing half-finished is left behind,
    and what a killed download left in `dest` is removed first.
    """
    from voice_mock.speech import download

    download.check_name(name, "model")
    dest = config.default_models_dir() if dest is None else Path(dest).expanduser()
    target = dest / name
    if is_model_dir(target):
        download.clean_leftovers(dest)  # what a killed download of another model left
        return target
    if target.exists():
        raise UserError(
            f"{target} already exists but is not a complete model "
            f"({model_dir_problem(target)}); remove it and download again."
        )
    source = download.check_url(_model_url(name, url, base_url))
    return download.install_archive(
        source,
        dest,
        name,
        find_root=lambda unpacked: _model_root(unpacked, source),
        is_installed=is_model_dir,
        kind="model",
        expected_bytes=MODEL_CATALOG[name].size_bytes if name in MODEL_CATALOG else None,
        progress=progress,
        deadline_s=download.DEFAULT_DEADLINE_S if deadline_s is None else deadline_s,
        stall_s=download.DEFAULT_STALL_S if stall_s is None else stall_s,
    )


def _model_root(unpacked: Path, source: str) -> Path:
    """The model folder inside an unpacked archive: the top, or its one subfolder."""
    if is_model_dir(unpacked):
        return unpacked
    children = [p for p in unpacked.iterdir() if p.is_dir() and p.name not in {"__MACOSX"}]
    if len(children) == 1 and is_model_dir(children[0]):
        return children[0]
    detail = model_dir_problem(children[0]) if len(children) == 1 else "no single model folder"
    raise UserError(f"The archive from {source} does not hold a Vosk model ({detail}).")
