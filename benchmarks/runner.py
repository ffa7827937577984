"""The shared runner: figures, medians, ratios to an in-run baseline, the table and the JSON.

Absolute times drift a lot on a small shared machine, so every timing is
reported twice: as the median of several runs, and as a ratio to a baseline
measured in the same run (bare Vosk, ``import textual``, ``json.loads``...).
The ratio is what to compare between runs; the absolute median is what the
target is about. A figure that cannot run (no espeak-ng, no PulseAudio, a
module not there yet) is reported with its error instead of stopping the rest.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

RESULTS_DIR = Path(__file__).resolve().parent / "results"
DEFAULT_OUT = RESULTS_DIR / "latest.json"

Op = Literal["<=", ">=", "=="]


def median(values: Sequence[float]) -> float:
    """Median of a non-empty sequence (the figure every target is checked against)."""
    if not values:
        raise ValueError("no values to take the median of")
    return float(statistics.median(values))


@dataclass
class Baseline:
    """What a figure is compared with, measured in the same run."""

    name: str
    """What was timed, in words (e.g. "bare Vosk AcceptWaveform loop, same file")."""
    runs: list[float]
    unit: str = "s"

    @property
    def median(self) -> float:
        return median(self.runs)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "unit": self.unit, "median": self.median, "runs": self.runs}


@dataclass
class Measurement:
    """One reported figure: its runs, target, baseline and verdict."""

    key: str
    """Stable identifier used in the JSON (e.g. ``feedback_latency_s``)."""
    title: str
    unit: str
    runs: list[float] = field(default_factory=list)
    target: float | None = None
    op: Op = "<="
    baseline: Baseline | None = None
    stat: Literal["median", "max", "last"] = "median"
    """Which statistic of `runs` the target applies to."""
    target_on: Literal["value", "ratio"] = "value"
    """Whether the target bounds the figure itself or its ratio to the baseline."""
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def value(self) -> float | None:
        if not self.runs:
            return None
        if self.stat == "max":
            return float(max(self.runs))
        if self.stat == "last":
            return float(self.runs[-1])
        return median(self.runs)

    @property
    def ratio(self) -> float | None:
        """`value` divided by the baseline's median (None without a usable baseline)."""
        value = self.value
        if value is None or self.baseline is None or not self.baseline.runs:
            return None
        base = self.baseline.median
        return value / base if base else None

    @property
    def passed(self) -> bool | None:
        value = self.ratio if self.target_on == "ratio" else self.value
        if value is None or self.target is None:
            return None
        if self.op == "<=":
            return value <= self.target
        if self.op == ">=":
            return value >= self.target
        return value == self.target

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "unit": self.unit,
            "stat": self.stat,
            "value": self.value,
            "median": median(self.runs) if self.runs else None,
            "min": min(self.runs) if self.runs else None,
            "max": max(self.runs) if self.runs else None,
            "n": len(self.runs),
            "runs": self.runs,
            "target": self.target,
            "op": self.op,
            "target_on": self.target_on,
            "passed": self.passed,
            "baseline": self.baseline.to_dict() if self.baseline else None,
            "ratio": self.ratio,
            "notes": self.notes,
            "extra": self.extra,
            "error": self.error,
        }


@dataclass
class Context:
    """What every figure gets: the mode, a scratch folder, a log, and a cache shared by figures."""

    quick: bool
    work: Path
    log: Callable[[str], None] = print
    shared: dict[str, Any] = field(default_factory=dict)

    def pick(self, quick: Any, full: Any) -> Any:
        """The quick-mode or full-mode value of a size or a number of runs."""
        return quick if self.quick else full


FigureFn = Callable[[Context], list[Measurement]]


@dataclass(frozen=True)
class Figure:
    """A numbered figure from the brief, and the function that measures it."""

    number: int
    name: str
    run: FigureFn


def timed(fn: Callable[[], Any]) -> float:
    """Seconds one call of `fn` takes (monotonic clock)."""
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """``with stopwatch() as t: ...`` then ``t[0]`` is the elapsed seconds."""
    out: list[float] = []
    began = time.perf_counter()
    try:
        yield out
    finally:
        out.append(time.perf_counter() - began)


# --- output -------------------------------------------------------------------------


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if abs(value) < 1 else f"{value:.2f} s"
    if unit in ("count", "n"):
        return f"{value:g}"
    return f"{value:.3g} {unit}"


def format_table(measurements: Sequence[Measurement]) -> str:
    """A plain-text table: one line per figure, with target, verdict and ratio."""
    headers = ("figure", "value", "target", "ok", "baseline", "ratio", "n")
    rows = []
    for m in measurements:
        verdict = {True: "PASS", False: "FAIL", None: "-"}[m.passed]
        if m.error:
            verdict = "ERROR"
        if m.target is None:
            target = "-"
        elif m.target_on == "ratio":
            target = f"ratio {m.op} {m.target:g}"
        else:
            target = f"{m.op} {_fmt(m.target, m.unit)}"
        base = _fmt(m.baseline.median, m.baseline.unit) if m.baseline and m.baseline.runs else "-"
        ratio = f"{m.ratio:.2f}x" if m.ratio is not None else "-"
        label = m.title if m.stat == "median" else f"{m.title} ({m.stat})"
        rows.append((label, _fmt(m.value, m.unit), target, verdict, base, ratio, str(len(m.runs))))
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    notes = [f"- {m.title}: {m.error or m.notes}" for m in measurements if m.error or m.notes]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def machine_info() -> dict[str, Any]:
    """Enough about the machine to know whether two result files are comparable."""
    load: tuple[float, ...] | None
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "loadavg_at_start": load,
    }


# --- running --------------------------------------------------------------------------


def run_figures(
    figures: Sequence[Figure], ctx: Context
) -> tuple[list[Measurement], dict[str, float]]:
    """Run each figure, turning a crash into an error row so the others still run."""
    results: list[Measurement] = []
    durations: dict[str, float] = {}
    for figure in figures:
        ctx.log(f"[{figure.number}] {figure.name} ...")
        began = time.perf_counter()
        try:
            got = figure.run(ctx)
        except Exception as exc:
            detail = traceback.format_exc(limit=3)
            ctx.log(detail)
            got = [
                Measurement(
                    key=f"figure_{figure.number}",
                    title=f"{figure.number}. {figure.name}",
                    unit="s",
                    error=f"{type(exc).__name__}: {exc}",
                )
            ]
        durations[figure.name] = time.perf_counter() - began
        for m in got:
            ctx.log(
                f"    {m.title}: {_fmt(m.value, m.unit)}" + (f" ({m.error})" if m.error else "")
            )
        results.extend(got)
    return results, durations


def report(
    measurements: Sequence[Measurement], durations: dict[str, float], quick: bool, began: float
) -> dict[str, Any]:
    return {
        "mode": "quick" if quick else "full",
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(began)),
        "wall_s": time.time() - began,
        "machine": machine_info(),
        "figure_wall_s": durations,
        "figures": [m.to_dict() for m in measurements],
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure voice-mock's latency, lag, overhead, start-up, memory and scale.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer runs and shorter audio (under 2 minutes)"
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"JSON results file (default {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated figure numbers or names to run (default: all)",
    )
    parser.add_argument(
        "--work", type=Path, default=None, help="scratch folder (default: a temporary one)"
    )
    return parser.parse_args(argv)


def select(figures: Sequence[Figure], only: str) -> list[Figure]:
    if not only.strip():
        return list(figures)
    wanted = {w.strip() for w in only.split(",") if w.strip()}
    chosen = [f for f in figures if str(f.number) in wanted or f.name in wanted]
    if not chosen:
        names = ", ".join(f"{f.number}={f.name}" for f in figures)
        raise SystemExit(f"--only matched no figure; choose from {names}")
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    from benchmarks.figures import ALL

    args = parse_args(argv)
    figures = select(ALL, args.only)
    began = time.time()

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="voice-mock-bench-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        # Sessions, config and caches of the app go to the scratch folder, never the user's.
        os.environ["VOICE_MOCK_HOME"] = str(work / "home")
        os.environ.pop("VOICE_MOCK_MODEL", None)
        ctx = Context(quick=args.quick, work=work, log=log)
        measurements, durations = run_figures(figures, ctx)
    result = report(measurements, durations, args.quick, began)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(format_table(measurements))
    print(f"\n{result['mode']} run took {result['wall_s']:.0f} s; results in {args.out}")
    return 0
