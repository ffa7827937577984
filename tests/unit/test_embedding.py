"""The real embedding model: offline, loaded once, lazily, and good enough to rank meaning."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from voice_mock import embedding

ROOT = Path(__file__).resolve().parents[2]


def test_the_model_never_opens_a_network_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network use: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    model = embedding.load()
    vectors = model.embed(["i would keep my cool", "let them get it off their chest"])
    assert vectors.shape == (2, model.dim)


def test_vectors_are_unit_length_and_cached() -> None:
    model = embedding.get_embedder()
    a = model.embed(["i rang three of our other branches", ""])
    assert np.allclose(np.linalg.norm(a[0]), 1.0, atol=1e-5)
    assert not np.any(a[1])  # nothing to embed: a zero vector, not NaN
    b = model.embed(["i rang three of our other branches"])
    assert np.array_equal(a[0], b[0])


def test_one_embedder_per_process() -> None:
    assert embedding.get_embedder() is embedding.get_embedder()
    embedding.preload()
    assert embedding.wait_until_loaded(30)
    assert embedding.embedder_if_ready() is embedding.get_embedder()


def test_related_sentences_are_closer_than_unrelated_ones() -> None:
    model = embedding.get_embedder()
    team, love_team, pizza = model.embed(
        ["enjoy working in a team", "yes i love being part of a team", "my favourite food is pizza"]
    )
    assert float(team @ love_team) > float(team @ pizza) + 0.2


def test_importing_the_analysis_or_the_embedding_module_loads_no_model() -> None:
    code = (
        "import sys, voice_mock.analysis.report, voice_mock.embedding\n"
        "heavy = {'wordllama', 'tokenizers', 'safetensors', 'lemminflect'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"


def test_loading_keeps_the_apps_logging_as_it_was() -> None:
    code = (
        "import logging\n"
        "from voice_mock import embedding\n"
        "embedding.load()\n"
        "print(len(logging.getLogger().handlers))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "0"


def test_preload_also_warms_the_lemmatiser_off_the_calling_thread() -> None:
    code = (
        "import sys, time\n"
        "from voice_mock import embedding\n"
        "from voice_mock.analysis.text import lemmas\n"
        "began = time.perf_counter()\n"
        "embedding.preload()\n"
        "returned = time.perf_counter() - began\n"
        "assert embedding.wait_until_loaded(60)\n"
        "print(returned < 0.05, lemmas.cache_info().currsize > 0,"
        " embedding.embedder_if_ready() is not None)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.split() == ["True", "True", "True"]
