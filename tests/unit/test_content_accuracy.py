"""Accuracy of coverage and STAR on the labelled answers (dev and held-out test set).

Each figure must stay at or above its floor: the level the method reaches now,
less a small margin for answers the colleagues are still adding. The issue's
targets (coverage recall >= 0.90 at precision >= 0.95, >= 0.85 recall on
damaged text, STAR recall and precision >= 0.90) are not reached by this
method yet; `benchmarks/content.py` prints the gap and every false hit and
miss. The floors only stop a change from making things worse. Keyword salad
covering at most one point is the issue's own target and is asserted as is.
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
    "dev": (0.79, 0.58, 0.51, 0.88, 0.89),
    "test": (0.83, 0.59, 0.53, 0.90, 0.84),
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
