"""Saved sessions as Markdown: what a coach or a friend needs to see the app's judgement.

Each session gets its question, its measures with their verdicts, the key
points and STAR parts, the delivery and phone advice, the things to work on
first, and a timestamped transcript with fillers and pauses marked. Several
sessions (a filtered history, a mock interview) go into one document.
Everything from a bank or a transcript passes through `visible`, and
Markdown's own characters in it are escaped, so a shared export renders as
what was said.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from voice_mock.analysis.advice import LABELS, HintPoint, advised, missed_hints, star_hint
from voice_mock.analysis.saved import SavedReport
from voice_mock.analysis.thresholds import Thresholds
from voice_mock.analysis.verdicts import Level
from voice_mock.render.lines import Line, transcript_lines
from voice_mock.render.numbers import clock, clock_tenths, number, percent, when
from voice_mock.render.safe import visible
from voice_mock.render.text import NO_STORY
from voice_mock.store.records import SessionRecord
from voice_mock.transcript import Transcript

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def md(text: str) -> str:
    """Untrusted text (a question, a transcript) made inert inside Markdown."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", visible(text))


MARKS = {"filler": "_", "hedge": "~~", "point": "**"}
"""How the transcript marks a run of words of each kind (plain words are not marked)."""
TRANSCRIPT_LEGEND = (
    "Marks: _filler_, ~~hedge~~, **key point made**, [S] [T] [A] [R] where a STAR part "
    "starts, (pause 2.5 s), (~0.4 s) voice without words."
)
LEVEL_WORDS = {Level.WORK_ON: "Work on", Level.WATCH: "Watch", Level.GOOD: "Good", Level.NONE: "-"}


@dataclass(frozen=True, slots=True)
class SessionDoc:
    """One session with what its export shows."""

    record: SessionRecord
    report: SavedReport | None
    transcript: Transcript | None
    target_s: tuple[float, float] | None = None
    points: tuple[HintPoint, ...] = ()
    """The question's key points from its bank, for the hints under missed ones."""


def session_markdown(doc: SessionDoc, thresholds: Thresholds, *, level: int = 1) -> str:
    """One session as Markdown; `level` 2 nests it under a document title."""
    h = "#" * level
    record, report = doc.record, doc.report
    lines = [f"{h} {md(record.question_text or 'Free answer')}", ""]
    lines.append(f"- Session: `{record.id}`")
    lines.append(f"- Date: {when(record.started_at)}")
    if record.question_id:
        lines.append(f"- Question: `{record.qualified_question_id}` ({md(record.category or '')})")
    lines.append(f"- Mode: {'phone interview' if record.phone else 'in person'}")
    lines.append(f"- Status: {record.status}")
    if record.audio_path is not None:
        lines.append(f"- Recording: `{record.audio_path}`")
    lines.append("")
    if record.status != "done" or report is None:
        lines.append("This answer has not been transcribed yet.")
        return "\n".join(lines) + "\n"
    verdicts = report.verdicts(thresholds, doc.target_s)

    def said(key: str) -> str:
        verdict = verdicts.get(key)
        if verdict is None:
            return "-"
        if verdict.ok:
            return verdict.text
        return f"**{verdict.text}** ({'work on' if verdict.level == Level.WORK_ON else 'watch'})"

    advice = advised(report, thresholds, doc.target_s)
    if advice.focus:
        lines += [f"{h}# Work on first", ""]
        lines += [
            f"{n}. **{LABELS.get(item.metric, item.metric)}**: {md(item.text)}"
            for n, item in enumerate(advice.focus, start=1)
        ]
        lines.append("")
    elif report.spoke:
        lines += [f"{h}# Work on first", "", "Nothing stands out: practise another question.", ""]
    lines += [f"{h}# Delivery", "", "| measure | value | verdict |", "|---|---|---|"]
    target = doc.target_s or report.target_s
    band = f" (target {target[0]:.0f}-{target[1]:.0f} s)" if target else ""
    lines.append(
        f"| length (speaking) | {number(report.speaking_s, ' s')}{band} | {said('length')} |"
    )
    lines.append(f"| words | {number(report.word_count)} | |")
    lines.append(
        f"| pace | {number(report.wpm, ' wpm')} (conversational "
        f"{thresholds.wpm_target_low:.0f}-{thresholds.wpm_target_high:.0f}) | {said('pace')} |"
    )
    fillers = report.fillers
    counts = ", ".join(f"{md(k)} x{v}" for k, v in fillers.counts.items())
    lines.append(
        f"| fillers | {number(fillers.total)} ({number(fillers.per_minute, ' per min')})"
        f"{': ' + counts if counts else ''} | {said('fillers')} |"
    )
    pauses = report.pauses
    lines.append(
        f"| pauses | {number(pauses.count)} (long: {number(pauses.long_count)}, longest "
        f"{number(pauses.longest_s, ' s')}) | {said('pauses')} |"
    )
    lines.append(
        f"| time to first word | {number(report.response_latency_s, ' s')} | {said('latency')} |"
    )
    if report.hedge_counts:
        hedges = ", ".join(f"{md(k)} x{v}" for k, v in report.hedge_counts.items())
        lines.append(f"| hedges | {hedges} | |")
    if report.repetitions:
        repeats = ", ".join(f"{md(r.text)} at {clock(r.start)}" for r in report.repetitions)
        lines.append(f"| restarts (words said twice) | {repeats} | |")
    if report.delivery is not None:
        spans = report.delivery.hesitations
        lines.append(
            f"| hesitations (voice without words) | {len(spans)}, "
            f"{sum(g.duration for g in spans):.1f} s in all | |"
        )
    delivery = report.delivery
    if delivery is not None:
        for key, label, measure, unit in (
            ("loudness", "loudness", delivery.loudness, " dBFS"),
            ("pitch_variation", "pitch variation", delivery.pitch, " semitones"),
            ("trailing_off", "sentence ends fading", delivery.trailing, ""),
            ("clipping", "clipping", delivery.clipping, ""),
        ):
            value = (
                percent(measure.value)
                if key in ("trailing_off", "clipping")
                else number(measure.value, unit)
            )
            lines.append(f"| {label} | {value} | {said(key)} |")
    explained = [
        (label, measure.explain)
        for key, label, measure in (
            ("loudness", "Loudness", delivery.loudness),
            ("pitch_variation", "Pitch variation", delivery.pitch),
            ("trailing_off", "Sentence ends", delivery.trailing),
            ("clipping", "Clipping", delivery.clipping),
        )
        if measure.explain and key in verdicts and not verdicts[key].ok
    ] if delivery is not None else []  # fmt: skip
    if explained:
        lines.append("")
        lines += [f"- {label}: {md(text)}" for label, text in explained]
    if len(report.pace_windows) > 1:
        windows = ", ".join(f"{clock(w.start)} {w.wpm:.0f}" for w in report.pace_windows)
        lines += ["", f"Pace over the answer (start, wpm): {windows}"]
    if report.bursts:
        bursts = "; ".join(
            f"{clock(start)}: {md(' '.join(words))}" for start, _end, words in report.bursts
        )
        lines += ["", f"Filler bursts: {bursts}"]
    if report.top_words:
        top = ", ".join(f"{md(w)} ({c})" for w, c in report.top_words)
        lines += ["", f"Most-used words: {top}"]

    coverage = report.coverage
    if coverage.ratio is not None:
        lines += [
            "",
            f"{h}# Key points ({percent(coverage.ratio)} covered: {said('coverage')})",
            "",
        ]
        if coverage.reads_as_list:
            lines += [
                "The answer reads as a list of words, not sentences, so it makes no point.",
                "",
            ]
        elif coverage.no_story:
            lines += [NO_STORY, ""]
        for point in coverage.covered:
            at = f" at {clock_tenths(point.at_s)}" if point.at_s is not None else ""
            how = "by meaning" if point.how == "meaning" else "by phrase"
            lines.append(f'- [x] {md(point.label)}{at}: "{md(point.evidence)}" ({how})')
        hints = missed_hints(report, doc.points)
        for missed in coverage.missed:
            hint = f": {md(hints[missed.id])}" if missed.id in hints else ""
            lines.append(f"- [ ] {md(missed.label)}{hint}")
    if report.star is not None:
        lines += ["", f"{h}# STAR ({said('star')})", ""]
        for part in report.star.parts:
            if part.present:
                share = f", {percent(part.share)} of the answer" if part.share is not None else ""
                at = f" at {clock_tenths(part.at_s)}" if part.at_s is not None else ""
                lines.append(f'- [x] {part.name.title()}{at}{share}: "{md(part.evidence or "")}"')
            else:
                starter = star_hint(part.name)
                lines.append(
                    f"- [ ] {part.name.title()}: not heard"
                    + (f"; {md(starter)}" if starter else "")
                )
    if report.phone is not None:
        phone = report.phone
        lines += ["", f"{h}# Phone delivery", ""]
        lines.append(
            f"- Dead air ({thresholds.phone_dead_air_s:g} s or more): {len(phone.dead_air)}"
        )
        if phone.band is not None:
            lines.append(
                f"- Pace {number(phone.wpm, ' wpm', 0)} against "
                f"{phone.band[0]:.0f}-{phone.band[1]:.0f}: {phone.pace_verdict or '-'}"
            )
        lines.append(f"- Volume: {phone.volume_verdict or '-'}")
        lines += [f"- {md(tip)}" for tip in phone.advice]
    if advice.to_change():
        lines += ["", f"{h}# Advice", ""]
        lines += [
            f"- **{LEVEL_WORDS[a.level]}**, {LABELS.get(a.metric, a.metric)}: {md(a.text)}"
            for a in advice.to_change()
        ]
    if advice.went_well():
        lines += ["", f"{h}# Went well", ""]
        lines += [f"- {LABELS.get(a.metric, a.metric)}: {md(a.text)}" for a in advice.went_well()]
    lines += ["", f"{h}# Transcript", ""]
    if doc.transcript is not None:
        lines += [TRANSCRIPT_LEGEND, ""]
    lines += transcript_markdown(doc.transcript, report, thresholds.long_pause_s)
    return "\n".join(lines) + "\n"


def transcript_markdown(
    transcript: Transcript | None, report: SavedReport | None, long_pause_s: float
) -> list[str]:
    """Timestamped lines; fillers in italics, pauses and hesitations marked with their length."""
    if transcript is None:
        return ["(not transcribed)"]
    out = [
        f"- `{clock(line.start)}` " + line_markdown(line)
        for line in transcript_lines(transcript, report, long_pause_s)
    ]
    return out or ["(no words were recognised)"]


def line_markdown(line: Line) -> str:
    """One transcript line, each run of marked words wrapped once (`TRANSCRIPT_LEGEND`)."""
    parts: list[str] = []
    run: list[str] = []
    run_kind = ""

    def close() -> None:
        nonlocal run, run_kind
        if run:
            mark = MARKS.get(run_kind, "")
            parts.append(f"{mark}{' '.join(run)}{mark}")
        run, run_kind = [], ""

    for piece in line.pieces:
        if not piece.is_word:
            close()
            if piece.kind == "hesitation":
                parts.append(f"(~{piece.seconds:.1f} s)")
            else:
                parts.append(f"(pause {piece.seconds:.1f} s)")
            continue
        if piece.opens:
            close()
            parts.append(f"[{piece.part[0].upper()}]")
        if piece.kind != run_kind:
            close()
            run_kind = piece.kind
        run.append(md(piece.text))
    close()
    return " ".join(parts)


def sessions_markdown(
    docs: Sequence[SessionDoc], thresholds: Thresholds, *, title: str | None = None
) -> str:
    """Several sessions in one document (a filtered history, a mock interview)."""
    if len(docs) == 1 and title is None:
        return session_markdown(docs[0], thresholds)
    heading = title or f"{len(docs)} practice answers"
    parts = [f"# {md(heading)}", ""]
    for doc in docs:
        parts.append(session_markdown(doc, thresholds, level=2))
    return "\n".join(parts)
