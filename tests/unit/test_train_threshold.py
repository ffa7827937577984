"""The coverage threshold is chosen for the whole dev set's F0.5, settled pairs counted.

`benchmarks.train_coverage.best_f_threshold` used to weigh the judged pairs
alone; the cue hits (always covered) and the points with nothing to show (never
covered) are part of every answer's figures too, and they move the best
threshold: precise settled hits make doubtful pairs cost more, many settled
misses make them worth more.
"""

from __future__ import annotations

import numpy as np

from benchmarks.train_coverage import Settled, best_f_threshold


def pool(doubtful_made: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """40 sure pairs at 0.99-0.9 (all made), 40 doubtful at 0.7-0.6 (made in the given
    pattern, repeated), 40 unlikely at 0.3-0.2 (none made)."""
    p = np.r_[np.linspace(0.99, 0.9, 40), np.linspace(0.7, 0.6, 40), np.linspace(0.3, 0.2, 40)]
    made = np.tile(doubtful_made, 40 // len(doubtful_made))
    return p, np.r_[np.ones(40), made, np.zeros(40)]


def test_precise_settled_hits_make_doubtful_pairs_cost_more() -> None:
    p, y = pool([1.0, 1.0, 1.0, 0.0])  # doubtful pairs: three in four made
    assert best_f_threshold(p, y) <= 0.61  # judged alone they are worth keeping
    assert best_f_threshold(p, y, settled=Settled(tp=400, fp=0, fn=0)) >= 0.69


def test_many_settled_misses_make_doubtful_pairs_worth_more() -> None:
    p, y = pool([1.0, 0.0])  # doubtful pairs: half made
    assert best_f_threshold(p, y) >= 0.69  # judged alone they are left out
    assert best_f_threshold(p, y, settled=Settled(tp=100, fp=100, fn=300)) <= 0.61


def test_no_settled_pairs_is_the_judged_pairs_choice() -> None:
    p, y = pool([1.0, 0.0])
    assert best_f_threshold(p, y, settled=Settled()) == best_f_threshold(p, y)
