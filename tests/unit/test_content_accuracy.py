"""Accuracy of coverage and STAR on the labelled answers (dev and held-out test set).

Each figure must stay at or above its floor. Where the method reaches the
issue's target the floor is the target itself; elsewhere it is the level
reached now less a small margin (about 0.02), so a change that makes things
worse fails. The method (a calibrated decision over cue, story and meaning
evidence, `voice_mock.analysis.decide`, fitted on dev only) reaches, with
``benchmarks/content.py``:

- STAR precision and recall >= 0.90 on dev (the targets are the floors); on the
  test set precision 0.93 (target) and recall 0.897, 0.003 short of 0.90.
- Coverage on clean text: dev P 0.843 R 0.798, test P 0.880 R 0.808, against the
  target P >= 0.95 at R >= 0.90: short by about 0.08 in precision and 0.11 in
  recall. On damaged text: dev P 0.851 R 0.767, test P 0.881 R 0.795, against
  R >= 0.85. A cue said in a sentence (not denied) always covers its point, as the bank
  contract says (round three pruned cues that are said without making the
  point: bare role nouns such as "manager", opinion markers such as "i think",
  generic nouns such as "experience"); the decision is fitted on, and only
  decides, the points no cue matched (whether they were made in other words).
  Its threshold is set for the best F0.5 of the whole dev set on
  leave-one-question-out cross-validation (points without a cue: P 0.84 R 0.67);
  no threshold reaches P 0.95 there (R 0.003 at it): the evidence (wordllama
  windows, word-by-word matches, the story's shape) separates made from missed
  points with an AUC of about 0.85, not enough for both targets at once.

Keyword salad covering at most one point is the issue's own target and is
asserted as is.
"""

from __future__ import annotations

from functools import cache

import pytest

from tests.support.answers import load_set
from tests.support.measure import Results, run
from voice_mock.bank import load_library
from voice_mock.embedding import get_embedder

FLOORS = {
    # set: (clean precision, clean recall, damaged recall, STAR precision, STAR recall)
    "dev": (0.83, 0.78, 0.75, 0.90, 0.90),
    "test": (0.86, 0.79, 0.77, 0.90, 0.87),
}
SALAD_MAX_POINTS = 1


@cache
def results(name: str, damaged: bool) -> Results:
    answers = load_set(name)
    assert len(answers) >= 100, f"the {name} set has only {len(answers)} answers"
    return run(answers, load_library(), meaning=get_embedder(), damaged=damaged)


@pytest.mark.parametrize("name", ["dev", "test"])
def test_coverage_on_clean_transcripts(name: str) -> None:
    precision, recall, _, _, _ = FLOORS[name]
    tally = results(name, False).coverage()
    assert tally.precision >= precision, f"{name} precision {tally.precision:.3f}"
    assert tally.recall >= recall, f"{name} recall {tally.recall:.3f}"


@pytest.mark.parametrize("name", ["dev", "test"])
def test_coverage_on_damaged_transcripts(name: str) -> None:
    _, _, recall, _, _ = FLOORS[name]
    tally = results(name, True).coverage()
    assert tally.recall >= recall, f"{name} damaged recall {tally.recall:.3f}"


@pytest.mark.parametrize("name", ["dev", "test"])
def test_star_parts(name: str) -> None:
    _, _, _, precision, recall = FLOORS[name]
    tally = results(name, False).star()
    assert tally.precision >= precision, f"{name} STAR precision {tally.precision:.3f}"
    assert tally.recall >= recall, f"{name} STAR recall {tally.recall:.3f}"


@pytest.mark.parametrize("name", ["dev", "test"])
@pytest.mark.parametrize("damaged", [False, True])
def test_keyword_salad_covers_at_most_one_point(name: str, damaged: bool) -> None:
    found = results(name, damaged)
    assert found.salad_max_points() <= SALAD_MAX_POINTS
    salads = [o for o in found.outcomes if o.answer.style == "keyword-salad"]
    assert salads, "the set should hold keyword-salad answers"
    assert all(o.report.coverage.reads_as_list for o in salads)


def test_meaning_adds_recall_over_cues_alone() -> None:
    answers = load_set("dev")
    cues = run(answers, load_library(), meaning=None).coverage()
    both = results("dev", False).coverage()
    assert both.recall >= cues.recall + 0.1
    assert both.precision >= cues.precision - 0.02
