"""Whether the answer made a key point: one calibrated decision over all the evidence.

Cue phrases, the story's shape and closeness in meaning each say something
about a key point, and each alone is wrong in its own way: a cue can sit in a
generic or hedged claim ("i'm not always that calm"), a window can be close
in meaning to a sentence that makes a different point. So every piece of
evidence about one (answer, key point) pair becomes a number (`FEATURES`),
and a small logistic regression turns them into the probability that the
point was made. The point is covered when that probability reaches the
model's threshold.

The coefficients live in ``coverage_model.json`` beside this module, written
by ``python -m benchmarks.train_coverage`` from the labelled development set
only: features are standardised, the weights fitted with an L2 penalty, and
the threshold chosen on leave-one-question-out cross-validation (best F0.5
by default, or a precision asked for), so it holds for questions the model
never saw. There are two models: one with the meaning features (an embedder
was given) and one from cues and story alone.

Pure: no I/O beyond reading the JSON once (cached), and no numpy.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODEL_FILE = Path(__file__).with_name("coverage_model.json")

CUE_FEATURES = (
    "cue",
    "cue_multi",
    "cue_count",
    "cue_denied",
    "cue_hedged",
    "cue_other",
    "story",
    "narrative",
    "narrative_story",
    "answer_story",
)
"""Features that need no embedder (see `Evidence`)."""
MEANING_FEATURES = (
    "meaning_best",
    "meaning_mean",
    "meaning_label",
    "meaning_margin",
    "meaning_words",
)
FEATURES = CUE_FEATURES + MEANING_FEATURES


@dataclass(frozen=True, slots=True)
class Evidence:
    """Everything found about one key point in one answer, as plain numbers.

    Built by `voice_mock.analysis.coverage`; `values` is the feature vector.
    """

    cue: bool = False
    """A cue matched inside a sentence and was not denied ("i would not say sorry")."""
    cue_multi: bool = False
    """One of the matching cues has more than one word (more specific than one word)."""
    cue_count: int = 0
    """How many different cues matched (capped at 3)."""
    cue_denied: bool = False
    """A cue was said, but only where it was denied: a negation before it in its clause."""
    cue_hedged: bool = False
    """Every match sits right after a hedge ("i think", "maybe", "probably")."""
    cue_other: bool = False
    """Every match is about someone else ("they calm right down"), not the speaker."""
    story: bool = False
    """The STAR part the point stands for was found by the story's shape."""
    narrative: float = 0.0
    """Share of the point's examples that tell a story: the point asks for an example."""
    answer_story: bool = False
    """The answer tells a story: a concrete moment and something the speaker did."""
    meaning_best: float = 0.0
    meaning_mean: float = 0.0
    meaning_label: float = 0.0
    meaning_margin: float = 0.0
    """The `voice_mock.analysis.meaning.PointScores` (0 without an embedder)."""
    meaning_words: float = 0.0
    """`voice_mock.analysis.meaning.word_match`: the examples' words the answer says, or
    words close to them (0 without an embedder)."""

    @property
    def shown(self) -> bool:
        """Whether anything in the answer speaks for the point: a cue, the story part, a story
        for a point that asks for one, or a window compared by meaning. Without it the point
        is not covered, whatever the answer's length: a covered point always has words to show.
        """
        return (
            self.cue
            or self.story
            or (self.answer_story and self.narrative > 0)
            or self.meaning_best > 0
        )

    def values(self) -> dict[str, float]:
        return {
            "cue": float(self.cue),
            "cue_multi": float(self.cue_multi),
            "cue_count": float(min(3, self.cue_count)),
            "cue_denied": float(self.cue_denied),
            "cue_hedged": float(self.cue_hedged),
            "cue_other": float(self.cue_other),
            "story": float(self.story),
            "narrative": self.narrative,
            "narrative_story": self.narrative * float(self.answer_story),
            "answer_story": float(self.answer_story),
            "meaning_best": self.meaning_best,
            "meaning_mean": self.meaning_mean,
            "meaning_label": self.meaning_label,
            "meaning_margin": self.meaning_margin,
            "meaning_words": self.meaning_words,
        }


@dataclass(frozen=True, slots=True)
class Model:
    """A standardised logistic regression: p = sigmoid(bias + sum(w * (x - mean) / scale))."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    """Probability at or above which the point counts as made."""

    def probability(self, values: Mapping[str, float]) -> float:
        z = self.bias
        for name, mu, sd, w in zip(self.features, self.mean, self.scale, self.weights, strict=True):
            z += w * (values.get(name, 0.0) - mu) / sd
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    def covers(self, probability: float) -> bool:
        return probability >= self.threshold

    def to_dict(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "weights": list(self.weights),
            "bias": self.bias,
            "threshold": self.threshold,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Model:
        features = tuple(str(f) for f in _seq(data["features"]))
        unknown = set(features) - set(FEATURES)
        if unknown:
            raise ValueError(f"unknown features in the coverage model: {sorted(unknown)}")
        mean = tuple(_num(v) for v in _seq(data["mean"]))
        scale = tuple(_num(v) for v in _seq(data["scale"]))
        weights = tuple(_num(v) for v in _seq(data["weights"]))
        if not len(features) == len(mean) == len(scale) == len(weights):
            raise ValueError("the coverage model's lists differ in length")
        if any(not s > 0 for s in scale):
            raise ValueError("the coverage model has a scale that is not positive")
        bias = _num(data["bias"])
        threshold = _num(data["threshold"])
        if not 0.0 < threshold < 1.0:
            raise ValueError("the coverage model's threshold is not a probability")
        return cls(features, mean, scale, weights, bias, threshold)


def _num(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError("the coverage model holds a value that is not a finite number")
    return float(value)


def _seq(value: object) -> Sequence[object]:
    if not isinstance(value, list):
        raise ValueError("the coverage model holds a list that is not a list")
    return value


@dataclass(frozen=True, slots=True)
class Models:
    meaning: Model
    """Used when an embedder was given."""
    cues: Model
    """Used without an embedder (cue phrases and the story's shape only)."""
    cue_confidence: float = 0.5
    """The confidence of a cue said in a sentence, which always covers its point: the share
    of such cue hits the labellers agreed with on the dev set (a probability, as the
    decision's are); a point the decision is surer of keeps the higher one."""


FALLBACK = Models(
    meaning=Model(("cue", "story", "meaning_best"), (0, 0, 0), (1, 1, 1), (20, 20, 40), -17.2, 0.5),
    cues=Model(("cue", "story"), (0, 0), (1, 1), (20, 20), -10.0, 0.5),
)
"""Round one's rules, used only when the model file cannot be read: a cue or the story part
covers a point, and so does a window at cosine 0.43 or more."""


@cache
def load_models(path: Path = MODEL_FILE) -> Models:
    """The two models from ``coverage_model.json`` (read once per process).

    A missing or broken file is logged and replaced by `FALLBACK`, so an
    analysis never fails over it (the tests check that the file loads).
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        models = data["models"]
        cue_confidence = _num(data.get("cue_confidence", 0.5))
        if not 0.0 < cue_confidence <= 1.0:
            raise ValueError("the coverage model's cue confidence is not a probability")
        return Models(
            Model.from_dict(models["meaning"]), Model.from_dict(models["cues"]), cue_confidence
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        logging.getLogger(__name__).warning("coverage model not loaded (%s); using rules", exc)
        return FALLBACK


def decide(
    evidence: Evidence, *, meaning: bool, models: Models | None = None
) -> tuple[bool, float]:
    """(covered, probability) for one key point; never covered without `Evidence.shown`."""
    chosen = (models or load_models()).meaning if meaning else (models or load_models()).cues
    p = chosen.probability(evidence.values())
    return evidence.shown and chosen.covers(p), p
