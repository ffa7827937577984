"""A report as plain text for the terminal (``voice-mock analyze``, ``practice``, ``reanalyze``).

Sections with the headline numbers, each with its verdict in words, then
the advice. It reads a `SavedReport`, the same typed view the app and the
exports read, so the three never disagree about what an answer showed.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from voice_mock.analysis.advice import LABELS, HintPoint, advised, missed_hints, star_hint
from voice_mock.analysis.saved import SavedReport
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.render.numbers import clock_tenths, plural
from voice_mock.render.safe import visible

NO_STORY = (
    "No story was told: a behavioural question asks for one real moment "
    "(when, what you did, how it ended), so general claims make none of its points."
)


WRAP = 100
"""Advice paragraphs are wrapped to this width (hanging indent), like the rest of the report."""


def _wrapped(text: str, indent: str) -> list[str]:
    return textwrap.wrap(
        text, WRAP, initial_indent="  ", subsequent_indent=indent, break_on_hyphens=False
    )


def report_text(
    report: SavedReport,
    thresholds: Thresholds,
    *,
    target: tuple[float, float] | None = None,
    transcript: str | None = None,
    points: Sequence[HintPoint] = (),
) -> str:
    """The report as plain text: sections with headline numbers and verdicts in words.

    `transcript`, when given, is printed too (the words as recognised), so a
    user of the command line sees what they said as well as how it went.
    `points` are the question's key points from its bank: a missed one is
    shown with an example of how it could be made. The things to work on
    first come right after the overview, what went well and the rest of the
    advice at the end (`voice_mock.analysis.advice`; an old report is
    advised from its numbers).
    """
    v = {key: verdict.text for key, verdict in report.verdicts(thresholds, target).items()}
    t = thresholds
    lines: list[str] = []
    clock = clock_tenths

    def section(title: str) -> None:
        if lines:
            lines.append("")
        lines.append(title.upper())

    def n(value: float | None, digits: int = 1) -> str:
        return "-" if value is None else f"{value:.{digits}f}"

    section("Overview")
    if report.question_id:
        lines.append(f"  Question: {visible(report.question_qualified_id or report.question_id)}")
    lines.append(f"  Recording: {n(report.duration_s)} s; speaking {n(report.speaking_s)} s")
    lines.append(f"  Words: {report.word_count if report.word_count is not None else '-'}")
    lines.append(
        f"  Started answering after {n(report.response_latency_s)} s: "
        f"{v.get('latency', '-')} (slow after {t.latency_slow_s:g} s)"
    )
    band = target or report.target_s
    if band is not None:
        lines.append(
            f"  Answer length: {n(report.speaking_s, 0)} s (target {band[0]:.0f}-{band[1]:.0f} s):"
            f" {v.get('length', '-')}"
        )
    if not report.spoke:
        lines.append("  No words were recognised: nothing else to measure.")

    advice = advised(report, thresholds, target)
    if advice.focus:
        section("Work on first")
        for number, item in enumerate(advice.focus, start=1):
            name = LABELS.get(item.metric, item.metric)
            lines += _wrapped(f"{number}. {name}: {visible(item.text)}", "     ")

    section("Pace")
    lines.append(
        f"  {n(report.wpm, 0)} words per minute: {v.get('pace', '-')} "
        f"(conversational {t.wpm_target_low:.0f}-{t.wpm_target_high:.0f})"
    )
    if len(report.pace_windows) > 1:
        parts = [f"{clock(w.start)} {w.wpm:.0f}" for w in report.pace_windows]
        lines.append("  Over the answer (start, wpm): " + ", ".join(parts))

    section("Fillers")
    total = report.fillers.total or 0
    lines.append(
        f"  {plural(total, 'filler')}, {n(report.fillers.per_minute)} per minute: "
        f"{v.get('fillers', '-')} (fluent at or under {t.fillers_fluent_per_min:g} a minute)"
    )
    if report.fillers.counts:
        lines.append(
            "  " + ", ".join(f'"{visible(k)}" x{c}' for k, c in report.fillers.counts.items())
        )
    for start, _end, words in report.bursts:
        lines.append(
            f"  Burst of {len(words)} at {clock(start)}: " + " ".join(visible(w) for w in words)
        )
    if report.repetitions:
        lines.append(
            "  Repeated words: "
            + ", ".join(f'"{visible(r.text)}" at {clock(r.start)}' for r in report.repetitions)
        )
    if report.hedge_counts:
        lines.append(
            "  Hedges: " + ", ".join(f'"{visible(k)}" x{c}' for k, c in report.hedge_counts.items())
        )
    if report.top_words:
        lines.append(
            "  Most-used words: " + ", ".join(f"{visible(w)} ({c})" for w, c in report.top_words)
        )

    section("Pauses")
    pauses = report.pauses
    lines.append(
        f"  {plural(pauses.count or 0, 'pause')} of {t.pause_s:g} s or more, "
        f"{pauses.long_count or 0} of {t.long_pause_s:g} s or more: {v.get('pauses', '-')}"
    )
    if pauses.count:
        lines.append(f"  Longest: {n(pauses.longest_s)} s")
    for pause in pauses.occurrences:
        if pause.duration >= t.long_pause_s - 1e-6:
            lines.append(f"  Long pause at {clock(pause.start)}: {pause.duration:.1f} s")

    section("Coverage")
    coverage = report.coverage
    if coverage.ratio is None:
        if report.question_id is None:
            lines.append("  No question given: key points not checked.")
        else:
            lines.append("  This question lists no key points to check.")
    else:
        lines.append(f"  {coverage.ratio:.0%} of key points: {v.get('coverage', '-')}")
        if coverage.reads_as_list:
            lines.append("  The answer reads as a list of words, not sentences: it makes no point.")
        elif coverage.no_story:
            lines.append(f"  {NO_STORY}")
        for point in coverage.covered:
            how = "" if point.how == "phrase" else ", by meaning"
            at = f" at {clock(point.at_s)}" if point.at_s is not None else ""
            lines.append(f'  [x] {visible(point.label)}{at} ("{visible(point.evidence)}"{how})')
        hints = missed_hints(report, points)
        for missed in coverage.missed:
            lines.append(f"  [ ] {visible(missed.label)}")
            if missed.id in hints:
                lines.append(f"      {visible(hints[missed.id])}")

    if report.star is not None:
        section("STAR")
        lines.append(f"  {visible(report.star.verdict)}")
        for part in report.star.parts:
            if part.present and part.at_s is not None:
                share = f", {part.share:.0%} of the answer" if part.share is not None else ""
                lines.append(
                    f"  {part.name.title()}: at {clock(part.at_s)}{share} "
                    f'("{visible(part.evidence or "")}")'
                )
            else:
                hint = star_hint(part.name)
                lines.append(f"  {part.name.title()}: not heard" + (f"; {hint}" if hint else ""))

    section("Delivery")
    delivery = report.delivery
    if delivery is None:
        lines.append("  No audio analysed (transcript only).")
    else:
        hesitations = delivery.hesitations
        lines.append(
            f"  Hesitations (voice without words): {len(hesitations)}, "
            f"{sum(h.duration for h in hesitations):.1f} s in all"
        )
        level = delivery.loudness.value
        lines.append(
            "  Loudness: "
            + (
                "no speech detected"
                if level is None
                else f"{level:.0f} dBFS: {v.get('loudness', '-')}"
            )
        )
        fading = delivery.trailing.value
        lines.append(
            "  Trailing off: "
            + (
                v.get("trailing_off", "-")
                if fading is None
                else f"{fading:.0%} of stretches: {v.get('trailing_off', '-')}"
            )
        )
        clipped = delivery.clipping.value
        lines.append(
            f"  Clipping: {v.get('clipping', '-')}"
            + ("" if clipped is None else f" ({clipped:.2%} of samples at the ceiling)")
        )
        spread = delivery.pitch.value
        lines.append(
            "  Pitch variation: "
            + (
                v.get("pitch_variation", "-")
                if spread is None
                else f"{spread:.1f} semitones: {v.get('pitch_variation', '-')}"
            )
        )

    if report.phone is not None:
        section("Phone advice")
        phone = report.phone
        lines.append(f"  Dead air ({t.phone_dead_air_s:g} s or more): {len(phone.dead_air)}")
        if phone.band is not None:
            lines.append(
                f"  Pace {n(phone.wpm, 0)} wpm against {phone.band[0]:.0f}-{phone.band[1]:.0f}: "
                f"{phone.pace_verdict or '-'}"
            )
        lines.append(f"  Volume: {phone.volume_verdict or '-'}")
        for tip in phone.advice:
            lines.append(f"  - {visible(tip)}")

    if advice.went_well():
        section("Went well")
        for good in advice.went_well():
            name = LABELS.get(good.metric, good.metric)
            lines += _wrapped(f"+ {name}: {visible(good.text)}", "    ")
    if advice.to_change():
        section("Advice")
        for off in advice.to_change():
            name = LABELS.get(off.metric, off.metric)
            lines += _wrapped(f"[{off.level}] {name}: {visible(off.text)}", "    ")

    if transcript is not None:
        section("What you said")
        lines.append("  " + (visible(transcript) or "(no words were recognised)"))
    return "\n".join(lines) + "\n"
