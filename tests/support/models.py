"""A fake Vosk model folder: the layout `is_model_dir` accepts, with no real weights.

Vosk cannot load it (a recogniser fails the way it does on a damaged model);
tests use it where only the folder's shape matters: lookup order, downloads.
"""

from __future__ import annotations

from pathlib import Path

MODEL_FILES = {
    "am/final.mdl": b"acoustic",
    "conf/mfcc.conf": b"--use-energy=false\n",
    "conf/model.conf": b"--min-active=200\n",
    "graph/HCLr.fst": b"fst",
    "graph/Gr.fst": b"fst",
    "graph/phones/word_boundary.int": b"1 nonword\n",
    "ivector/final.ie": b"ie",
    "README": b"fake model for tests\n",
}


def make_model(folder: Path) -> Path:
    for rel, data in MODEL_FILES.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder
