"""Content checks against the labelled answers: coverage (clean and damaged) and STAR.

Run as ``.venv/bin/python -m benchmarks.content`` (``--set dev`` or ``--set test``
for one set, ``--no-details`` to leave out the list of false hits and misses,
``--no-speed`` to skip the timings). For each set it prints precision and
recall of key-point coverage on clean transcripts and on transcripts with
recogniser-like damage (short words dropped, homophones swapped), per
question category, with cue phrases only and with coverage by meaning; STAR
precision and recall per part; the most points any keyword-salad answer
covered; then every false hit and miss (answer id, point, evidence). The dev
set is the one thresholds are calibrated on; the test set is held out.

Speed: the median cost of the content work on a 2-minute answer (the
difference between ``analyze`` with the embedder and with cues only, and the
whole ``analyze``) and on a 60-minute transcript, with the model loaded.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Sequence

from tests.support.answers import SETS, STAR_PARTS, load_set
from tests.support.measure import Results, Tally, run
from voice_mock.analysis.meaning import Embedder
from voice_mock.bank import Library, load_library

TARGETS = {
    "coverage_recall": 0.90,
    "coverage_precision": 0.95,
    "damaged_recall": 0.85,
    "star_recall": 0.90,
    "star_precision": 0.90,
    "salad_max_points": 1,
}


def _fmt(t: Tally) -> str:
    return f"P {t.precision:.3f}  R {t.recall:.3f}  (tp {t.tp}, fp {t.fp}, fn {t.fn})"


def _star_by_part(results: Results) -> dict[str, Tally]:
    out = {p: Tally() for p in STAR_PARTS}
    for o in results.outcomes:
        if o.star_found is None or o.answer.star is None:
            continue
        for part in STAR_PARTS:
            out[part].add({part} & o.star_found, {part} if o.answer.star.get(part) else set())
    return out


def report_set(
    name: str, library: Library, embedder: Embedder | None, *, details: bool
) -> dict[str, object]:
    answers = load_set(name)
    print(f"\n=== {name} set: {len(answers)} answers ===")
    if not answers:
        print("  (no answers yet)")
        return {}
    figures: dict[str, object] = {"answers": len(answers)}
    runs: dict[tuple[str, bool], Results] = {}
    modes: list[tuple[str, Embedder | None]] = [("no embedder (cues + story)", None)]
    if embedder is not None:
        modes.append(("cues + story + meaning", embedder))
    for label, emb in modes:
        for damaged in (False, True):
            results = run(answers, library, meaning=emb, damaged=damaged)
            runs[(label, damaged)] = results
            kind = "damaged" if damaged else "clean"
            total = results.coverage()
            print(f"  coverage, {label}, {kind}: {_fmt(total)}")
            for category in results.categories():
                print(f"      {category:<11} {_fmt(results.coverage(category))}")
            figures[f"{label}/{kind}"] = {
                "precision": round(total.precision, 3),
                "recall": round(total.recall, 3),
            }
    best = runs[(modes[-1][0], False)]
    star = best.star()
    print(f"  STAR: {_fmt(star)}")
    for part, tally in _star_by_part(best).items():
        print(f"      {part:<11} {_fmt(tally)}")
    salad = best.salad_max_points()
    lists = sum(
        1
        for o in best.outcomes
        if o.answer.style == "keyword-salad" and o.report.coverage.reads_as_list
    )
    salads = sum(1 for o in best.outcomes if o.answer.style == "keyword-salad")
    print(f"  keyword salad: at most {salad} point(s) covered; {lists} of {salads} read as a list")
    figures["star"] = {"precision": round(star.precision, 3), "recall": round(star.recall, 3)}
    figures["salad_max_points"] = salad
    if details:
        for damaged in (False, True):
            results = runs[(modes[-1][0], damaged)]
            kind = "damaged" if damaged else "clean"
            print(f"  --- false hits and misses ({modes[-1][0]}, {kind}) ---")
            for o in results.outcomes:
                for point in o.false_hits:
                    print(f"    FALSE HIT {o.answer.id} {point}: {o.evidence(point)}")
                for point in o.misses:
                    print(f"    MISS      {o.answer.id} {point}")
            if damaged:
                continue
            print("  --- STAR errors ---")
            for o in results.outcomes:
                if o.star_found is None or o.answer.star is None:
                    continue
                want = {p for p in STAR_PARTS if o.answer.star.get(p)}
                for part in sorted(o.star_found - want):
                    ev = getattr(o.report.star, part).evidence if o.report.star else ""
                    print(f'    FALSE {part:<9} {o.answer.id}: "{ev}"')
                for part in sorted(want - o.star_found):
                    print(f"    MISSED {part:<9} {o.answer.id}")
    return figures


def _timings_ms(fn: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """(median wall, fastest wall, median CPU) in ms; CPU time is steadier on a busy machine."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return (
        statistics.median(wall) * 1000.0,
        min(wall) * 1000.0,
        statistics.median(cpu) * 1000.0,
    )


def speed(library: Library, embedder: Embedder | None) -> dict[str, float]:
    from benchmarks.transcripts import transcript_json
    from voice_mock.analysis.report import analyze
    from voice_mock.transcript import Transcript

    question = library.find("customer-service/what-is-customer-service")
    out: dict[str, float] = {}
    print("\n=== speed (medians, model loaded) ===")
    clear = getattr(embedder, "clear_cache", lambda: None)
    for minutes, runs in ((2.0, 21), (60.0, 7)):
        transcript = Transcript.from_vosk(json.loads(transcript_json(minutes)))
        analyze(transcript, question)
        analyze(transcript, question, meaning=embedder)

        def cues_only(t: Transcript = transcript) -> None:
            analyze(t, question)

        cues = _timings_ms(cues_only, runs)

        def with_meaning(t: Transcript = transcript) -> None:
            clear()  # no vector kept from the run before: the cost of a new answer
            analyze(t, question, meaning=embedder)

        both = _timings_ms(with_meaning, runs)
        words = len(transcript.words)
        print(
            f"  {minutes:g}-min transcript ({words} words), analyze: "
            f"cues only median {cues[0]:.1f} ms (fastest {cues[1]:.1f}, CPU {cues[2]:.1f}); "
            f"with meaning median {both[0]:.1f} ms (fastest {both[1]:.1f}, CPU {both[2]:.1f}); "
            f"meaning pass {both[0] - cues[0]:.1f} ms by median"
        )
        out[f"{minutes:g}min_cues_ms"] = round(cues[0], 1)
        out[f"{minutes:g}min_meaning_ms"] = round(both[0], 1)
    return out


def _print_decision() -> None:
    """The coverage decision in use: its thresholds and the dev cross-validation behind them."""
    from voice_mock.analysis.decide import MODEL_FILE

    try:
        data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        print("decision: model file not readable; round one's rules in use")
        return
    print(f"decision: {MODEL_FILE.name}, threshold chosen by {data.get('threshold_by')}")
    for name, model in data["models"].items():
        cv = model["cross_validation"]
        curve = ", ".join(f"P>={p}: R {v['recall']:.3f}" for p, v in cv["by_precision"].items())
        print(
            f"  {name}: threshold {model['threshold']:.3f}; dev leave-one-question-out "
            f"P {cv['clean']['precision']:.3f} R {cv['clean']['recall']:.3f} "
            f"(judged pairs only; {curve})"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.content")
    parser.add_argument("--set", choices=SETS, action="append")
    parser.add_argument("--no-details", action="store_true")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--no-meaning", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON at the end")
    args = parser.parse_args(argv)
    library = load_library()
    embedder: Embedder | None = None
    if not args.no_meaning:
        from voice_mock.embedding import get_embedder

        began = time.perf_counter()
        embedder = get_embedder()
        print(f"embedding model loaded in {time.perf_counter() - began:.2f} s")
    examples = sum(
        len(getattr(p, "examples", ())) for q in library.questions() for p in q.key_points
    )
    print(f"bank: {len(library.questions())} questions, {examples} key-point examples")
    print("targets: " + ", ".join(f"{k} {v}" for k, v in TARGETS.items()))
    _print_decision()
    figures: dict[str, object] = {}
    for name in args.set or SETS:
        figures[name] = report_set(name, library, embedder, details=not args.no_details)
    if not args.no_speed:
        figures["speed"] = speed(library, embedder)
    if args.json:
        print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
