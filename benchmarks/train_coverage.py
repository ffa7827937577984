"""Fit the coverage decision (`voice_mock.analysis.decide`) on the development set only.

Run as ``.venv/bin/python -m benchmarks.train_coverage`` (``--dry-run`` to print
without writing; ``--precision 0.95`` to choose the threshold for a precision
instead of by F0.5). Every (answer, key point) pair of the dev set, on the clean transcript
and on the one with recogniser-like damage, becomes one row: the evidence
`voice_mock.analysis.coverage` gathers (`Evidence.values`) and whether the
labeller said the point was made. Pairs a rule decides first (an answer that
reads as a list, a behavioural answer with no story) are left out, and so are
pairs the rules around the decision settle: nothing to show for the point
(`Evidence.shown`, never covered) and a cue said in a sentence (always
covered, the bank contract). So the model learns what it decides: whether a
point no cue matched was made in other words.

Two logistic regressions are fitted (standardised features, L2 penalty,
Newton's method; numpy only): one with the meaning features, one from cues
and story alone. The threshold is chosen by leave-one-question-out
cross-validation: each question's pairs are scored by a model fitted on the
other questions. The threshold is chosen on those pooled out-of-fold
probabilities of the clean transcripts: by default the one with the best
F0.5 (precision weighted twice as much as recall) of the whole dev set, the
pairs the rules settle (cue hits, points with nothing to show) counted as
they are settled, so the threshold is the one that serves the whole answer
set best rather than the judged pairs alone; with ``--precision`` the
lowest probability at which the precision reaches it (and stays within 0.03
of it above). So the threshold holds for questions the model never saw, as
a new bank's would be. The script prints the trade-off (recall at precision
0.95, 0.90, 0.85, 0.80) so the choice can be seen. The held-out test set is
never read here.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tests.support.answers import load_set, transcript_of
from voice_mock.analysis.decide import CUE_FEATURES, FEATURES, MODEL_FILE, Model
from voice_mock.analysis.meaning import Embedder
from voice_mock.analysis.report import analyze
from voice_mock.bank import Library, load_library

if TYPE_CHECKING:
    import numpy as np

L2 = 1.0
"""Penalty on the standardised weights (not on the bias)."""
MIN_PREDICTED = 30
"""The precision at a threshold is only trusted with at least this many pairs above it."""
SLACK = 0.03


@dataclass(slots=True)
class Settled:
    """Pairs the rules settle before the decision, on clean dev transcripts: cue hits (always
    covered) and points with nothing to show or in a story-less behavioural answer (never
    covered by the decision). They count in the whole set's F0.5 the threshold is chosen by."""

    tp: int = 0
    fp: int = 0
    fn: int = 0


@dataclass(frozen=True, slots=True)
class Row:
    question: str
    point: str
    damaged: bool
    label: bool
    values: dict[str, float]


def cue_precision(library: Library, *, set_name: str = "dev") -> float:
    """Share of cue hits (said in a sentence, not denied; clean transcripts) that the
    labellers agreed with: the confidence a cue hit reports."""
    agreed = total = 0
    for answer in load_set(set_name):
        report = analyze(transcript_of(answer.text, seed=answer.id), library.find(answer.question))
        for point_id, evidence, _ in report.coverage.evidence:
            if evidence.cue and not evidence.cue_denied:
                total += 1
                agreed += point_id in answer.covers
    return agreed / total if total else 0.5


def collect(
    library: Library,
    embedder: Embedder | None,
    *,
    set_name: str = "dev",
    settled: Settled | None = None,
) -> list[Row]:
    """One row per (answer, key point) judged by the decision, clean and damaged.

    The pairs left out are counted in ``settled`` (clean transcripts only).
    """
    rows: list[Row] = []
    for answer in load_set(set_name):
        question = library.find(answer.question)
        for damaged in (False, True):
            transcript = transcript_of(answer.text, seed=answer.id, damaged=damaged)
            report = analyze(transcript, question, meaning=embedder)
            judged = {point_id for point_id, _, _ in report.coverage.evidence}
            if settled is not None and not damaged:
                # an answer that reads as a list judges no point: its made points are missed
                settled.fn += len(answer.covers - judged)
            for point_id, evidence, _ in report.coverage.evidence:
                settled_cue = evidence.cue and not evidence.cue_denied
                if not evidence.shown or settled_cue or report.coverage.no_story:
                    # decided without the weights: nothing shown is never covered, a cue not
                    # denied always covers (the bank contract), a story-less behavioural answer
                    # makes its points by cues only
                    if settled is not None and not damaged:
                        made = point_id in answer.covers
                        if settled_cue:
                            settled.tp += made
                            settled.fp += not made
                        else:
                            settled.fn += made
                    continue
                rows.append(
                    Row(
                        answer.question,
                        point_id,
                        damaged,
                        point_id in answer.covers,
                        evidence.values(),
                    )
                )
    return rows


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, scale, weights with the bias last) of an L2-penalised logistic regression."""
    import numpy as np

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) + penalty * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return mean, scale, w


def predict(model: tuple[np.ndarray, np.ndarray, np.ndarray], x: np.ndarray) -> np.ndarray:
    import numpy as np

    mean, scale, w = model
    return 1.0 / (1.0 + np.exp(-(((x - mean) / scale) @ w[:-1] + w[-1])))


def out_of_fold(x: np.ndarray, y: np.ndarray, groups: Sequence[str]) -> np.ndarray:
    """Each question's probabilities from a model fitted on every other question."""
    import numpy as np

    out = np.zeros(len(y))
    names = np.asarray(groups)
    for name in sorted(set(groups)):
        held = names == name
        out[held] = predict(fit(x[~held], y[~held]), x[held])
    return out


def choose_threshold(p: np.ndarray, y: np.ndarray, precision: float) -> float:
    """Lowest probability whose pooled precision reaches ``precision`` and stays near it above."""
    import numpy as np

    order = np.argsort(-p)
    ps, ys = p[order], y[order]
    tp = np.cumsum(ys)
    prec = tp / np.arange(1, len(ys) + 1)
    best = float(ps[0])
    floor = precision - SLACK
    for k in range(MIN_PREDICTED - 1, len(ps)):
        if prec[k] < floor:
            break
        if prec[k] >= precision and (k + 1 == len(ps) or ps[k + 1] < ps[k]):
            best = float(ps[k])
    return best


BETA = 0.5
"""F-beta used to choose the threshold: below 1, precision counts more than recall."""


def best_f_threshold(
    p: np.ndarray, y: np.ndarray, beta: float = BETA, settled: Settled | None = None
) -> float:
    """The probability whose pooled F-beta is highest (with at least `MIN_PREDICTED` above it).

    With ``settled`` the F-beta is the whole set's: the pairs the rules decide count as they
    are decided, so the threshold weighs what the decision adds against all the answers'
    points, not against the judged pairs alone (whose own precision is lower).
    """
    import numpy as np

    fixed = settled or Settled()
    order = np.argsort(-p)
    ps, ys = p[order], y[order]
    k = np.arange(1, len(ys) + 1)
    tp = np.cumsum(ys) + fixed.tp
    predicted = k + fixed.tp + fixed.fp
    prec = tp / predicted
    rec = tp / max(1.0, float(ys.sum()) + fixed.tp + fixed.fn)
    b2 = beta * beta
    f = np.where(prec + rec > 0, (1 + b2) * prec * rec / np.maximum(1e-12, b2 * prec + rec), 0.0)
    # only where the threshold splits between two different probabilities
    ok = np.r_[ps[1:] < ps[:-1], True] & (k >= MIN_PREDICTED)
    if not ok.any():
        return float(ps[0])
    best = int(np.flatnonzero(ok)[np.argmax(f[ok])])
    return float(ps[best])


def tally(p: np.ndarray, y: np.ndarray, threshold: float) -> dict[str, float]:
    hit = p >= threshold
    tp = float((hit & (y == 1)).sum())
    fp = float((hit & (y == 0)).sum())
    fn = float((~hit & (y == 1)).sum())
    return {
        "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
    }


def train(
    rows: Sequence[Row],
    features: Sequence[str],
    precision: float | None,
    settled: Settled | None = None,
) -> dict[str, object]:
    import numpy as np

    x = np.array([[r.values[f] for f in features] for r in rows], dtype=float)
    y = np.array([r.label for r in rows], dtype=float)
    groups = [r.question for r in rows]
    clean = np.array([not r.damaged for r in rows])
    oof = out_of_fold(x, y, groups)
    if precision is None:
        threshold = best_f_threshold(oof[clean], y[clean], settled=settled)
    else:
        threshold = choose_threshold(oof[clean], y[clean], precision)
    mean, scale, w = fit(x, y)
    model = Model(
        tuple(features),
        tuple(round(float(v), 6) for v in mean),
        tuple(round(float(v), 6) for v in scale),
        tuple(round(float(v), 6) for v in w[:-1]),
        round(float(w[-1]), 6),
        round(threshold, 6),
    )
    curve = {}
    for target in (0.95, 0.9, 0.85, 0.8):
        t = choose_threshold(oof[clean], y[clean], target)
        curve[f"{target:.2f}"] = {"threshold": round(t, 3), **tally(oof[clean], y[clean], t)}
    return {
        **model.to_dict(),
        "cross_validation": {
            "how": "leave one question out, dev set only",
            "clean": tally(oof[clean], y[clean], threshold),
            "damaged": tally(oof[~clean], y[~clean], threshold),
            "by_precision": curve,
        },
        "rows": len(y),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.train_coverage")
    parser.add_argument("--precision", type=float, default=None)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    from voice_mock.embedding import get_embedder

    library = load_library()
    embedder = get_embedder()
    out: dict[str, object] = {}
    for name, emb, features in (
        ("meaning", embedder, FEATURES),
        ("cues", None, CUE_FEATURES),
    ):
        settled = Settled()
        rows = collect(library, emb, settled=settled)
        trained = train(rows, features, args.precision, settled)
        out[name] = trained
        cv = trained["cross_validation"]
        print(f"{name}: {len(rows)} rows, threshold {trained['threshold']:.3f}")
        print(f"  cross-validated (clean / damaged): {json.dumps(cv)}")
        weights = dict(zip(features, trained["weights"], strict=True))  # type: ignore[call-overload]
        print("  weights: " + ", ".join(f"{k} {v:+.2f}" for k, v in weights.items()))
    data = {
        "about": (
            "Coverage decision (voice_mock/analysis/decide.py), fitted on the dev set by "
            "python -m benchmarks.train_coverage; do not edit by hand."
        ),
        "threshold_by": (
            f"F{BETA} of the whole dev set"
            if args.precision is None
            else f"precision {args.precision}"
        ),
        "cue_confidence": round(cue_precision(library), 3),
        "models": out,
    }
    print(f"cue hits agreed with by the labellers (dev, clean): {data['cue_confidence']}")
    if not args.dry_run:
        MODEL_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
