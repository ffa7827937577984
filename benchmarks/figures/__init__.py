"""The figures, in the brief's numbering; each module measures one and returns `Measurement`s.

Figures 1, 2 and 5 share one series of real-time answers and figures 5 and 6
one long live session (cached in `Context.shared`), so each is run only once.
The order puts the cheap, self-contained figures first.
"""

from benchmarks.figures import (
    analysis,
    dropped,
    feedback,
    history,
    lag,
    memory,
    pipeline,
    startup,
)
from benchmarks.runner import Figure

ALL: tuple[Figure, ...] = (
    Figure(8, "analysis", analysis.run),
    Figure(7, "history", history.run),
    Figure(4, "startup", startup.run),
    Figure(3, "pipeline", pipeline.run),
    Figure(1, "feedback", feedback.run),
    Figure(2, "lag", lag.run),
    Figure(6, "dropped", dropped.run),
    Figure(5, "memory", memory.run),
)
