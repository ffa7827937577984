"""A saved report (report.json) read back as typed objects, for every reader in one place.

The store's index, the review screen, the transcript view, the mock-interview
scorecard and the exports all read saved reports. They read them here, as
attributes (``report.fillers.per_minute``), instead of walking the dict with
their own tolerant helpers. Reading is tolerant and versioned: a report
saved by an older voice-mock (no levels, no advice, no STAR time split)
still reads, and verdicts it lacks are judged again from its numbers by the
analysis' own functions and the user's thresholds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from voice_mock.analysis.thresholds import Thresholds
from voice_mock.analysis.verdicts import Level, Verdict, parse_level


def _map(data: Any, key: str) -> Mapping[str, Any]:
    value = data.get(key) if isinstance(data, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def _list(data: Any, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, Mapping) else None
    return value if isinstance(value, list) else []


def _num(data: Any, key: str) -> float | None:
    value = data.get(key) if isinstance(data, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _int(data: Any, key: str) -> int | None:
    value = _num(data, key)
    return None if value is None else int(value)


def _text(data: Any, key: str) -> str | None:
    value = data.get(key) if isinstance(data, Mapping) else None
    return value if isinstance(value, str) else None


def _pair(value: Any) -> tuple[float, float] | None:
    if isinstance(value, list | tuple) and len(value) == 2:
        low, high = value
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in (low, high)):
            return (float(low), float(high))
    return None


@dataclass(frozen=True, slots=True)
class Moment:
    """Something said at a time: a filler, a hedge, a repeated word."""

    text: str
    start: float
    end: float

    @classmethod
    def read(cls, data: Any, text_key: str = "text") -> Moment | None:
        start, end = _num(data, "start"), _num(data, "end")
        text = _text(data, text_key)
        if start is None or end is None or text is None:
            return None
        return cls(text, start, end)


@dataclass(frozen=True, slots=True)
class Gap:
    """A stretch of the recording: a pause, dead air, a hesitation."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start

    @classmethod
    def read(cls, data: Any) -> Gap | None:
        start, end = _num(data, "start"), _num(data, "end")
        return None if start is None or end is None else cls(start, end)


def _moments(items: Sequence[Any], text_key: str = "text") -> tuple[Moment, ...]:
    return tuple(m for item in items if (m := Moment.read(item, text_key)) is not None)


def _gaps(items: Sequence[Any]) -> tuple[Gap, ...]:
    return tuple(g for item in items if (g := Gap.read(item)) is not None)


@dataclass(frozen=True, slots=True)
class Fillers:
    total: int | None = None
    per_minute: float | None = None
    counts: dict[str, int] = field(default_factory=dict)
    occurrences: tuple[Moment, ...] = ()


@dataclass(frozen=True, slots=True)
class Pauses:
    count: int | None = None
    long_count: int | None = None
    longest_s: float | None = None
    occurrences: tuple[Gap, ...] = ()


@dataclass(frozen=True, slots=True)
class CoveredPoint:
    id: str
    label: str
    at_s: float | None
    evidence: str
    how: str = "phrase"
    """"phrase" or "meaning"."""
    cue: str | None = None
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class MissedPoint:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Coverage:
    ratio: float | None = None
    covered: tuple[CoveredPoint, ...] = ()
    missed: tuple[MissedPoint, ...] = ()
    reads_as_list: bool = False
    no_story: bool = False
    """A behavioural answer that tells no story (generic claims): its points are not made."""
    checked: bool = False
    """False when the report has no coverage section at all (very old reports)."""


@dataclass(frozen=True, slots=True)
class StarPart:
    name: str
    present: bool
    evidence: str | None = None
    at_s: float | None = None
    seconds: float | None = None
    """How long this part of the story took, when the report measured it."""
    share: float | None = None
    phrase: str | None = None
    """The words or shape that showed the part ("my job was"): what the transcript marks."""


STAR_PARTS = ("situation", "task", "action", "result")


@dataclass(frozen=True, slots=True)
class Star:
    parts: tuple[StarPart, ...]
    in_order: bool
    verdict: str


@dataclass(frozen=True, slots=True)
class Measure:
    """One audio measure: its value, the analysis' words and explanation."""

    value: float | None
    verdict: str | None
    explain: str | None


@dataclass(frozen=True, slots=True)
class Delivery:
    loudness: Measure
    pitch: Measure
    trailing: Measure
    clipping: Measure
    hesitations: tuple[Gap, ...] = ()


@dataclass(frozen=True, slots=True)
class Phone:
    dead_air: tuple[Gap, ...]
    wpm: float | None
    band: tuple[float, float] | None
    pace_verdict: str | None
    volume_verdict: str | None
    advice: tuple[str, ...]
    volume_spread_db: float | None = None
    """How much sentence loudness spread (dB): what the volume verdict judges."""


@dataclass(frozen=True, slots=True)
class Advice:
    """One judged measure with why it matters and what to do (see `analysis.advice`)."""

    metric: str
    level: Level
    text: str


@dataclass(frozen=True, slots=True)
class Focus:
    """One of the few things to work on first, with a drill."""

    metric: str
    text: str


@dataclass(frozen=True, slots=True)
class PaceWindow:
    start: float
    end: float
    wpm: float


@dataclass(frozen=True, slots=True)
class SavedReport:
    """Everything a saved report says, typed; `raw` keeps the dict for the JSON export."""

    raw: Mapping[str, Any]
    question_id: str | None
    question_qualified_id: str | None
    duration_s: float | None
    speaking_s: float | None
    word_count: int | None
    wpm: float | None
    response_latency_s: float | None
    fillers: Fillers
    pauses: Pauses
    coverage: Coverage
    star: Star | None
    delivery: Delivery | None
    phone: Phone | None
    target_s: tuple[float, float] | None
    pace_windows: tuple[PaceWindow, ...]
    bursts: tuple[tuple[float, float, tuple[str, ...]], ...]
    repetitions: tuple[Moment, ...]
    hedges: tuple[Moment, ...]
    hedge_counts: dict[str, int]
    top_words: tuple[tuple[str, int], ...]
    advice: tuple[Advice, ...]
    focus: tuple[Focus, ...]
    given_verdicts: dict[str, str]
    given_levels: dict[str, Level]

    @property
    def spoke(self) -> bool:
        return bool(self.word_count or self.wpm)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SavedReport:
        fillers = _map(data, "fillers")
        pauses = _map(data, "pauses")
        coverage = _map(data, "coverage")
        counts = {
            str(k): int(v)
            for k, v in _map(fillers, "counts").items()
            if isinstance(v, int | float) and not isinstance(v, bool)
        }
        hedges = _map(data, "hedges")
        return cls(
            raw=data,
            question_id=_text(data, "question_id"),
            question_qualified_id=_text(data, "question_qualified_id"),
            duration_s=_num(data, "duration_s"),
            speaking_s=_num(data, "speaking_s"),
            word_count=_int(data, "word_count"),
            wpm=_num(data, "wpm"),
            response_latency_s=_num(data, "response_latency_s"),
            fillers=Fillers(
                total=_int(fillers, "total"),
                per_minute=_num(fillers, "per_minute"),
                counts=counts,
                occurrences=_moments(_list(fillers, "occurrences")),
            ),
            pauses=Pauses(
                count=_int(pauses, "count"),
                long_count=_int(pauses, "long_count"),
                longest_s=_num(pauses, "longest_s"),
                occurrences=_gaps(_list(pauses, "occurrences")),
            ),
            coverage=_coverage(coverage),
            star=_star(data.get("star")),
            delivery=_delivery(data),
            phone=_phone(data.get("phone")),
            target_s=_pair(_map(data, "answer_length").get("target_s")),
            pace_windows=tuple(
                PaceWindow(s, e, w)
                for item in _list(data, "pace_windows")
                if (s := _num(item, "start")) is not None
                and (e := _num(item, "end")) is not None
                and (w := _num(item, "wpm")) is not None
            ),
            bursts=tuple(
                (s, e, tuple(str(x) for x in _list(item, "fillers")))
                for item in _list(data, "filler_bursts")
                if (s := _num(item, "start")) is not None and (e := _num(item, "end")) is not None
            ),
            repetitions=_moments(_list(data, "repetitions")),
            hedges=_moments(_list(hedges, "occurrences")),
            hedge_counts={
                str(k): int(v)
                for k, v in _map(hedges, "counts").items()
                if isinstance(v, int) and not isinstance(v, bool)
            },
            top_words=tuple(
                (word, count)
                for item in _list(data, "top_words")
                if (word := _text(item, "word")) is not None
                and (count := _int(item, "count")) is not None
            ),
            advice=tuple(
                Advice(metric, level, text)
                for item in _list(data, "advice")
                if (metric := _text(item, "metric")) is not None
                and (level := parse_level(_text(item, "level"))) is not None
                and (text := _text(item, "text")) is not None
            ),
            focus=tuple(
                Focus(metric, text)
                for item in _list(data, "focus")
                if (metric := _text(item, "metric")) is not None
                and (text := _text(item, "text")) is not None
            ),
            given_verdicts={
                str(k): v for k, v in _map(data, "verdicts").items() if isinstance(v, str)
            },
            given_levels={
                str(k): level
                for k, v in _map(data, "verdict_levels").items()
                if (level := parse_level(v)) is not None
            },
        )

    def given(self, key: str) -> Verdict | None:
        """The report's own verdict for `key` with its level, or None when it has none."""
        text = self.given_verdicts.get(key)
        if text is None:
            return None
        return Verdict(self.given_levels.get(key) or _level_from_text(text), text)

    def verdicts(
        self, thresholds: Thresholds, target: tuple[float, float] | None = None
    ) -> dict[str, Verdict]:
        """One verdict per judged measure: the report's own where it has them, else judged
        again from its numbers (an older report) by the analysis' functions."""
        from voice_mock.analysis.report import headline_verdicts

        judged = headline_verdicts(
            thresholds,
            spoke=self.spoke,
            speaking_s=self.speaking_s if self.speaking_s is not None else self.duration_s,
            target_s=target or self.target_s,
            wpm=self.wpm,
            fillers_per_min=self.fillers.per_minute,
            long_pauses=self.pauses.long_count,
            latency_s=self.response_latency_s,
            coverage_ratio=self.coverage.ratio,
            has_question=None if not self.coverage.checked else self.question_id is not None,
        )
        judged.update(self._judged_beyond_headline(thresholds))
        for key, text in self.given_verdicts.items():
            level = self.given_levels.get(key)
            if level is None:
                level = judged[key].level if key in judged else _level_from_text(text)
            judged[key] = Verdict(level, text)
        return judged

    def _judged_beyond_headline(self, thresholds: Thresholds) -> dict[str, Verdict]:
        """STAR, delivery and phone verdicts judged from the report's numbers, for a report
        that saved none in ``verdicts`` (its own, when it has them, replace these)."""
        from voice_mock.analysis import delivery as d
        from voice_mock.analysis.report import star_level

        out: dict[str, Verdict] = {}
        if self.star is not None:
            missing = sum(1 for part in self.star.parts if not part.present)
            out["star"] = Verdict(star_level(missing, self.star.in_order), self.star.verdict)
        if self.delivery is not None:
            delivery = self.delivery
            out["loudness"] = d.loudness_verdict(delivery.loudness.value, thresholds)
            out["trailing_off"] = d.trailing_verdict(delivery.trailing.value)
            if delivery.clipping.value is not None:
                out["clipping"] = d.clipping_verdict(delivery.clipping.value, 0.0, thresholds)
            out["pitch_variation"] = d.pitch_verdict(delivery.pitch.value, thresholds)
        if self.phone is not None and self.phone.wpm is not None:
            out["phone_pace"] = d.phone_pace_verdict(self.phone.wpm, thresholds, spoke=self.spoke)
            out["phone_volume"] = d.phone_volume_verdict(self.phone.volume_spread_db, thresholds)
        for key, verdict in list(out.items()):
            given = self._measure_verdict(key)
            if given is not None and key not in self.given_verdicts:
                out[key] = Verdict(verdict.level, given)  # the words it was saved with
        return out

    def _measure_verdict(self, key: str) -> str | None:
        """The verdict words saved inside a measure's own section (``delivery.loudness``)."""
        delivery, phone = self.delivery, self.phone
        if delivery is not None and key in (
            "loudness",
            "trailing_off",
            "clipping",
            "pitch_variation",
        ):
            measure = {
                "loudness": delivery.loudness,
                "trailing_off": delivery.trailing,
                "clipping": delivery.clipping,
                "pitch_variation": delivery.pitch,
            }[key]
            return measure.verdict
        if phone is not None and key == "phone_pace":
            return phone.pace_verdict
        if phone is not None and key == "phone_volume":
            return phone.volume_verdict
        return None


def _level_from_text(text: str) -> Level:
    """The level of a verdict saved before levels were written (a report from 0.1.0).

    Only for reading old files: new reports carry their levels.
    """
    if text in ("good", "complete"):
        return Level.GOOD
    if text.startswith(("no ", "not enough", "unknown")):
        return Level.NONE
    return Level.WATCH


def _coverage(data: Mapping[str, Any]) -> Coverage:
    covered = tuple(
        CoveredPoint(
            id=pid,
            label=_text(item, "label") or pid,
            at_s=_num(item, "at_s"),
            evidence=_text(item, "evidence") or "",
            how=_text(item, "how") or "phrase",
            cue=_text(item, "cue"),
            confidence=_num(item, "confidence"),
        )
        for item in _list(data, "covered")
        if (pid := _text(item, "id")) is not None
    )
    missed = tuple(
        MissedPoint(pid, _text(item, "label") or pid)
        for item in _list(data, "missed")
        if (pid := _text(item, "id")) is not None
    )
    return Coverage(
        ratio=_num(data, "ratio"),
        covered=covered,
        missed=missed,
        reads_as_list=data.get("reads_as_list") is True,
        no_story=data.get("no_story") is True,
        checked=bool(data),
    )


def _star(data: Any) -> Star | None:
    if not isinstance(data, Mapping):
        return None
    split = _map(data, "time_split")
    parts = []
    for name in STAR_PARTS:
        part = _map(data, name)
        share = _map(split, name)
        parts.append(
            StarPart(
                name=name,
                present=part.get("present") is True,
                evidence=_text(part, "evidence"),
                at_s=_num(part, "at_s"),
                seconds=_num(share, "seconds"),
                share=_num(share, "share"),
                phrase=_text(part, "phrase"),
            )
        )
    return Star(
        parts=tuple(parts),
        in_order=data.get("in_order") is not False,
        verdict=_text(data, "verdict") or "",
    )


def _measure(data: Mapping[str, Any], value_key: str) -> Measure:
    return Measure(_num(data, value_key), _text(data, "verdict"), _text(data, "explain"))


def _delivery(report: Mapping[str, Any]) -> Delivery | None:
    data = report.get("delivery")
    if not isinstance(data, Mapping):
        return None
    hesitations = _map(report, "hesitations")
    return Delivery(
        loudness=_measure(_map(data, "loudness"), "median_dbfs"),
        pitch=_measure(_map(data, "pitch_variation"), "semitones"),
        trailing=_measure(_map(data, "trailing_off"), "share"),
        clipping=_measure(_map(data, "clipping"), "clipped_ratio"),
        hesitations=_gaps(_list(hesitations, "occurrences")),
    )


def _phone(data: Any) -> Phone | None:
    if not isinstance(data, Mapping):
        return None
    pace = _map(data, "pace")
    volume = _map(data, "volume")
    return Phone(
        dead_air=_gaps(_list(_map(data, "dead_air"), "occurrences")),
        wpm=_num(pace, "wpm"),
        band=_pair(pace.get("band")),
        pace_verdict=_text(pace, "verdict"),
        volume_verdict=_text(volume, "verdict"),
        advice=tuple(str(a) for a in _list(data, "advice") if isinstance(a, str)),
        volume_spread_db=_num(volume, "spread_db"),
    )
