"""The sentence-embedding model behind coverage by meaning: loaded lazily, once, offline.

The model is WordLlama's ``l2_supercat`` at 256 dimensions (MIT licence), whose
16 MB of weights and tokenizer ship inside the ``wordllama`` wheel. It is loaded
from the package's own folders with downloads disabled, so it never touches
the network; a missing file is an error, never a download.

Use::

    from voice_mock.embedding import get_embedder, preload

    preload()                 # at start-up, returns at once; loads on a daemon thread
                              # (the model and the lemmatiser's tables)
    embedder = get_embedder() # off the UI thread: waits for the load (about 0.5 s)
    analyze(transcript, question, meaning=embedder)

`embedder_if_ready()` never waits: it returns None until the model is loaded.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

MODEL_CONFIG = "l2_supercat"
MODEL_DIM = 256
CACHE_SIZE = 4096
"""Texts whose vectors are kept (key-point labels and examples repeat across answers)."""


class ModelUnavailable(RuntimeError):
    """The embedding model's files are not installed; coverage falls back to cue phrases."""


class WordLlamaEmbedder:
    """`embed(texts)` -> float32 array of unit vectors, one row per text. Thread-safe."""

    name = f"wordllama {MODEL_CONFIG} {MODEL_DIM}d"

    def __init__(self, model: Any) -> None:
        self._model = model
        self._cache: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        return int(self._model.embedding.shape[1])

    def clear_cache(self) -> None:
        """Forget the kept vectors (benchmarks time the work without them)."""
        with self._lock:
            self._cache.clear()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo: list[int] = []
        with self._lock:
            for i, text in enumerate(texts):
                hit = self._cache.get(text)
                if hit is None:
                    todo.append(i)
                else:
                    self._cache.move_to_end(text)
                    out[i] = hit
        if todo:
            fresh = self._model.embed([texts[i] for i in todo], norm=False, batch_size=256)
            norms = np.linalg.norm(fresh, axis=1, keepdims=True)
            fresh = np.divide(fresh, norms, out=np.zeros_like(fresh), where=norms > 0)
            with self._lock:
                for row, i in enumerate(todo):
                    out[i] = fresh[row]
                    self._cache[texts[i]] = fresh[row]
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return out


def package_folder() -> Path:
    """The installed ``wordllama`` package; its ``weights/`` and ``tokenizers/`` hold the model."""
    import importlib.util

    spec = importlib.util.find_spec("wordllama")
    if spec is None or spec.origin is None:
        raise ModelUnavailable("the wordllama package is not installed")
    return Path(spec.origin).resolve().parent


def load() -> WordLlamaEmbedder:
    """Load the model from the package's own files; never downloads. Takes about 0.5 s."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        # wordllama calls logging.basicConfig() on import; keep the app's logging as it was
        from wordllama import WordLlama
    except ImportError as exc:
        raise ModelUnavailable(f"the wordllama package cannot be imported: {exc}") from exc
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    folder = package_folder()
    weights = folder / "weights" / f"{MODEL_CONFIG}_{MODEL_DIM}.safetensors"
    if not weights.is_file():
        raise ModelUnavailable(f"the model weights are missing: {weights}")
    try:
        model = WordLlama.load(MODEL_CONFIG, cache_dir=folder, dim=MODEL_DIM, disable_download=True)
    except FileNotFoundError as exc:
        raise ModelUnavailable(str(exc)) from exc
    return WordLlamaEmbedder(model)


_lock = threading.Lock()
_loaded = threading.Event()
_embedder: WordLlamaEmbedder | None = None
_error: Exception | None = None
_thread: threading.Thread | None = None


def get_embedder() -> WordLlamaEmbedder:
    """The process's one embedder, loading it on first call (waits while another thread loads).

    Raises `ModelUnavailable` when the model cannot be loaded; the error is
    kept, so later calls fail fast instead of trying again.
    """
    global _embedder, _error
    with _lock:
        if _embedder is not None:
            return _embedder
        if _error is not None:
            raise ModelUnavailable(str(_error)) from _error
        try:
            _embedder = load()
        except Exception as exc:
            _error = exc
            raise ModelUnavailable(str(exc)) from exc
        finally:
            _loaded.set()
        return _embedder


def preload() -> None:
    """Start loading on a daemon thread and return at once (a second call does nothing)."""
    global _thread
    with _lock:
        if _thread is not None or _embedder is not None:
            return
        _thread = threading.Thread(target=_load_quietly, name="embedding-load", daemon=True)
        _thread.start()


def _load_quietly() -> None:
    from voice_mock.analysis.text import warm_up

    warm_up()  # the lemmatiser's tables too, so the first analysis does not wait for them
    with contextlib.suppress(ModelUnavailable):  # kept in _error for get_embedder()
        get_embedder()


def embedder_if_ready() -> WordLlamaEmbedder | None:
    """The embedder if it is already loaded, else None; never waits."""
    return _embedder


def wait_until_loaded(timeout: float | None = None) -> bool:
    """Wait for a load started by `preload` or `get_embedder`; True when one has finished."""
    return _loaded.wait(timeout)
