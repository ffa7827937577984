"""Coverage by meaning: short stretches of the answer compared with each key point.

Each key point is described by its label and its bank ``examples`` (natural
sentences a candidate would say to make it). The answer is cut into
overlapping windows of a few words, fillers left out; each window and each
description becomes a unit vector from a sentence-embedding model, and a point
is covered when some window is close enough to one of its descriptions
(cosine at or above `THRESHOLD`, calibrated on the labelled development set
for high precision). Only windows that sit in sentences are used, so a list of
buzzwords covers nothing.

Pure: the embedder is passed in (see `voice_mock.embedding`) and numpy is
imported inside the functions, so importing this module stays light.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from voice_mock.analysis.text import FUNCTION_WORDS, HOMOPHONE_GROUPS, word_set

SOUNDS_LIKE: dict[str, str] = {word: group[0] for group in HOMOPHONE_GROUPS for word in group}
"""Each word the recogniser confuses with another, to one spelling for its group
("four" -> "for", "hour" -> "our", "their" -> "there"). Windows and descriptions are
both embedded in that spelling, so a swapped homophone does not move a window's
meaning (a stray "four" or "wood" otherwise pulls it towards numbers and trees)."""

_NOT_SPOKEN = re.compile(r"[^a-z0-9' ]+")


def spoken_form(text: str) -> str:
    """A description as a transcript would say it: lower case, no punctuation, one
    spelling per homophone group ("I'd rather take two extra minutes." -> "i'd rather
    take to extra minutes")."""
    plain = _NOT_SPOKEN.sub(" ", text.lower().replace("\u2019", "'").replace("-", " "))
    return " ".join(SOUNDS_LIKE.get(w, w) for w in (p.strip("'") for p in plain.split()) if w)


if TYPE_CHECKING:
    import numpy as np


class Embedder(Protocol):
    """Anything that turns texts into unit vectors, one row per text."""

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


WINDOW_WORDS = 8
"""Words per window: about one spoken clause."""
STRIDE = 2
MAX_WINDOWS = 1000
"""Past this many windows the stride grows, so an hour-long transcript stays cheap."""
THRESHOLD = 0.43
"""Cosine at or above which a window covers a point (calibrated on the dev set)."""
CONFIDENT_AT = 0.75
"""Cosine at which the confidence reaches 1.0; the threshold itself scores 0.5."""


@dataclass(frozen=True, slots=True)
class Window:
    first: int
    """Token index of the window's first word."""
    last: int
    text: str
    """What is embedded: the window's words without fillers."""


@dataclass(frozen=True, slots=True)
class MeaningMatch:
    """The window closest in meaning to one key point."""

    point: int
    """Index of the key point in the list given to `match_points`."""
    window: Window
    score: float
    """Cosine between the window and the closest description of the point."""
    reference: str
    """The description (label or example) the window was closest to."""

    @property
    def confidence(self) -> float:
        return confidence(self.score)


def confidence(score: float, threshold: float = THRESHOLD) -> float:
    """0.5 at the threshold, rising linearly to 1.0 at `CONFIDENT_AT`; 0 far below it."""
    span = max(1e-6, CONFIDENT_AT - threshold)
    return max(0.0, min(1.0, 0.5 + 0.5 * (score - threshold) / span))


def make_windows(
    words: Sequence[str],
    usable: Sequence[int],
    *,
    size: int = WINDOW_WORDS,
    stride: int = STRIDE,
) -> list[Window]:
    """Overlapping windows over the ``usable`` token indexes (fillers and lists left out).

    A window never bridges a run of unusable words: each run of consecutive
    usable words is windowed on its own, so a buzzword list between two
    sentences cannot join them.
    """
    runs: list[list[int]] = []
    for i in usable:
        if runs and i - runs[-1][-1] <= 2:  # one skipped filler does not split a run
            runs[-1].append(i)
        else:
            runs.append([i])
    out: list[Window] = []
    for run in runs:
        if len(run) <= size:
            starts = [0]
        else:
            starts = list(range(0, len(run) - size + 1, stride))
            if starts[-1] != len(run) - size:
                starts.append(len(run) - size)
        for s in starts:
            part = run[s : s + size]
            text = " ".join(SOUNDS_LIKE.get(words[i], words[i]) for i in part)
            if any(words[i] not in FUNCTION_WORDS for i in part):
                out.append(Window(part[0], part[-1], text))
    return out


def match_points(
    embedder: Embedder,
    windows: Sequence[Window],
    descriptions: Sequence[Sequence[str]],
) -> list[MeaningMatch | None]:
    """For each key point (its descriptions), the closest window; None without windows."""
    if not windows or not descriptions:
        return [None] * len(descriptions)
    import numpy as np

    refs: list[str] = []
    owner: list[int] = []
    for p, texts in enumerate(descriptions):
        for text in texts:
            refs.append(text)
            owner.append(p)
    if not refs:
        return [None] * len(descriptions)
    win_vecs = embedder.embed([w.text for w in windows])
    ref_vecs = embedder.embed(refs)
    # windows x references; einsum, not BLAS: for matrices this small, waking BLAS threads
    # costs more than the product (about 5 ms against 0.1 ms on a busy two-core machine)
    sims = np.einsum("wd,rd->wr", win_vecs, ref_vecs)
    owners = np.asarray(owner)
    found: list[MeaningMatch | None] = []
    for p in range(len(descriptions)):
        cols = np.flatnonzero(owners == p)
        if cols.size == 0:
            found.append(None)
            continue
        block = sims[:, cols]
        flat = int(np.argmax(block))
        row, col = divmod(flat, cols.size)
        found.append(MeaningMatch(p, windows[row], float(block[row, col]), refs[int(cols[col])]))
    return found


@dataclass(frozen=True, slots=True)
class PointScores:
    """How close in meaning the answer came to one key point, several ways.

    The decision (`voice_mock.analysis.decide`) weighs them together: the
    single closest window says little on its own (a generic sentence is
    close to many points), so it is joined by how many of the point's
    descriptions found a close window, the label alone, and how much closer
    the best window is to this point than to the question's other points.
    """

    best: MeaningMatch | None
    """The window closest to any description (label or example) of the point."""
    label: float
    """Best cosine between a window and the label alone."""
    examples_mean: float
    """Mean over the point's examples (the label when it has none) of each one's best cosine."""
    margin: float
    """Best over windows of (cosine to this point - cosine to the closest other point)."""


NO_SCORES = PointScores(None, 0.0, 0.0, 0.0)


def score_points(
    embedder: Embedder,
    windows: Sequence[Window],
    descriptions: Sequence[Sequence[str]],
) -> list[PointScores]:
    """For each key point (its label first, then its examples), the `PointScores`."""
    if not windows or not descriptions:
        return [NO_SCORES] * len(descriptions)
    import numpy as np

    refs: list[str] = []
    owner: list[int] = []
    for p, texts in enumerate(descriptions):
        for text in texts:
            refs.append(text)
            owner.append(p)
    if not refs:
        return [NO_SCORES] * len(descriptions)
    win_vecs = embedder.embed([w.text for w in windows])
    ref_vecs = embedder.embed([spoken_form(r) for r in refs])
    sims = np.einsum("wd,rd->wr", win_vecs, ref_vecs)  # see match_points: einsum, not BLAS
    owners = np.asarray(owner)
    n_points = len(descriptions)
    per_point = np.full((len(windows), n_points), -1.0, dtype=np.float32)
    blocks: list[np.ndarray | None] = []
    for p in range(n_points):
        cols = np.flatnonzero(owners == p)
        if cols.size == 0:
            blocks.append(None)
            continue
        block = sims[:, cols]
        blocks.append(block)
        per_point[:, p] = block.max(axis=1)
    out: list[PointScores] = []
    for p in range(n_points):
        block = blocks[p]
        if block is None:
            out.append(NO_SCORES)
            continue
        cols = np.flatnonzero(owners == p)
        flat = int(np.argmax(block))
        row, col = divmod(flat, cols.size)
        best = MeaningMatch(p, windows[row], float(block[row, col]), refs[int(cols[col])])
        per_ref = block.max(axis=0)
        examples = per_ref[1:] if per_ref.size > 1 else per_ref
        if n_points > 1:
            others = np.delete(per_point, p, axis=1).max(axis=1)
            margin = float((per_point[:, p] - others).max())
        else:
            margin = float(per_point[:, p].max())
        out.append(PointScores(best, float(per_ref[0]), float(examples.mean()), margin))
    return out


SOFT_STOP = FUNCTION_WORDS | word_set(
    """um uh er erm ah hmm mm like yeah yes okay ok really just you know i'd i'm i've i'll
    we'd we're it's that's get got thing things something lot bit kind sort"""
)
"""Words left out of word-by-word matching: they say nothing about which point was made."""


def content_words(words: Sequence[str]) -> list[str]:
    """The distinct content words, in one spelling per homophone group, first-seen order."""
    seen: dict[str, None] = {}
    for word in words:
        w = SOUNDS_LIKE.get(word, word)
        if w not in SOUND_STOP and w.isalpha():
            seen.setdefault(w, None)
    return list(seen)


SOUND_STOP = SOFT_STOP | frozenset(SOUNDS_LIKE[w] for w in SOFT_STOP if w in SOUNDS_LIKE)


BLAS_FROM = 250_000
"""Word pairs from which the word match uses a BLAS product rather than einsum."""


def word_match(
    embedder: Embedder,
    answer_words: Sequence[str],
    descriptions: Sequence[Sequence[str]],
) -> list[float]:
    """Per key point, how many of its examples' words the answer says, or words close to them.

    For each description (the label and each example), each content word
    finds the answer word closest in meaning (cosine of the two words'
    vectors, so "rang" finds "phoned" and "refund" finds "refunded"); the
    example's score is the mean of those, each word weighted by how rare it
    is among the question's descriptions (words every point uses say little).
    The point's score is the mean over its descriptions. It ignores word order
    and where in the answer the words were said, which the windows
    (`score_points`) keep; the two together separate made from missed points
    better than either (see ``benchmarks/train_coverage.py``), and a word the
    recogniser dropped costs one word, not a window.
    """
    answer = content_words(answer_words)
    if not answer or not descriptions:
        return [0.0] * len(descriptions)
    import math

    import numpy as np

    per_point: list[list[list[str]]] = []
    df: dict[str, int] = {}
    n_refs = 0
    for texts in descriptions:
        refs = [content_words(spoken_form(t).split()) for t in texts]
        refs = [r for r in refs if r]
        per_point.append(refs)
        for ref in refs:
            n_refs += 1
            for w in set(ref):
                df[w] = df.get(w, 0) + 1
    vocab = sorted(df)
    if not vocab:
        return [0.0] * len(descriptions)
    row = {w: k for k, w in enumerate(vocab)}
    answer_vecs = embedder.embed(answer)
    vocab_vecs = embedder.embed(vocab)
    # every description word against every answer word, once; einsum for an answer's few
    # hundred words (waking BLAS threads costs more on a busy machine), BLAS past that
    if len(vocab) * len(answer) <= BLAS_FROM:
        best = np.einsum("vd,ad->va", vocab_vecs, answer_vecs).max(axis=1)
    else:
        best = (vocab_vecs @ answer_vecs.T).max(axis=1)
    weight = {w: math.log((n_refs + 1) / (df[w] + 0.5)) for w in vocab}
    out: list[float] = []
    for refs in per_point:
        if not refs:
            out.append(0.0)
            continue
        scores = []
        for ref in refs:
            wts = np.array([weight[w] for w in ref])
            sims = best[[row[w] for w in ref]]
            scores.append(float((sims * wts).sum() / max(1e-9, float(wts.sum()))))
        out.append(sum(scores) / len(scores))
    return out
