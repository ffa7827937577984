"""The use cases both fronts call: one composition root for settings, banks, store and engines.

The CLI and the TUI are thin: they parse keys or arguments, call a `Coach`
method, and show the result. Everything that decides something lives here
or below (which speaker and why not, which question comes next, where a
saved answer's question is, how a session is exported, what recovery does),
so the two fronts cannot drift apart.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from voice_mock.bank import Library, Question
from voice_mock.coach.services import Services, SpeakerChoice
from voice_mock.config import Settings
from voice_mock.errors import UserError
from voice_mock.store import SessionRecord, Store

if TYPE_CHECKING:
    from voice_mock.analysis.advice import Advised
    from voice_mock.analysis.meaning import Embedder
    from voice_mock.analysis.saved import SavedReport
    from voice_mock.analysis.summary import WeekSummary
    from voice_mock.audio.devices import Device
    from voice_mock.coach.analysis import AnalysisResult
    from voice_mock.coach.mic_check import MicCheck, MicCheckResult, MicReading
    from voice_mock.coach.mock import MockInterview, Scorecard
    from voice_mock.coach.recovery import Recovered
    from voice_mock.coach.services import Player
    from voice_mock.coach.turn import BasicTurnListener, PracticeTurn, TurnListener
    from voice_mock.config import SpeechSettings
    from voice_mock.render.markdown import SessionDoc
    from voice_mock.store import ProgressPoint
    from voice_mock.store.index import QuestionStats


ExportFormat = Literal["md", "json"]


@dataclass(frozen=True, slots=True)
class Export:
    """What an export wrote."""

    path: Path
    sessions: int


class Coach:
    """Settings, question banks, the session store and the engines, and what to do with them."""

    def __init__(
        self,
        settings: Settings,
        library: Library,
        store: Store,
        services: Services | None = None,
        model_path: Path | None = None,
    ) -> None:
        self.settings = settings
        self.library = library
        self.store = store
        self.services = services or Services()
        self.model_path = model_path
        """The model given on the command line (or found later); None until known."""
        self._speaker: SpeakerChoice | None = None
        self._speaker_told = False
        self._lock = threading.Lock()

    # --- settings -----------------------------------------------------------------------

    def apply_settings(self, settings: Settings) -> bool:
        """Use newly saved settings; a new sessions folder means a new store.

        Returns True when the input device changed (a front re-checks it).
        """
        old = self.settings
        if settings.sessions_dir() != old.sessions_dir():
            self.store.close()
            self.store = Store(settings.sessions_dir())
        self.settings = settings
        with self._lock:
            self._speaker = None
        return settings.audio.input_device != old.audio.input_device

    # --- questions ----------------------------------------------------------------------

    def question(self, ref: str) -> Question:
        """A question by ``id`` or ``bank/id`` (a `UserError` names the choices)."""
        return self.library.find(ref)

    def question_for(self, ref: str | None) -> Question | None:
        """The question a saved answer was to (``bank/id``), or None when it is not loaded."""
        if ref is None:
            return None
        try:
            return self.library.find(ref)
        except UserError:
            return None

    def record_question(self, record: SessionRecord) -> Question | None:
        return self.question_for(record.qualified_question_id)

    def least_practised(self, pool: Sequence[Question] | None = None) -> Question:
        """The question answered the fewest times (ties: bank order), so practice rotates."""
        questions = list(pool) if pool is not None else self.library.questions()
        if not questions:
            raise UserError("The loaded question banks hold no questions.")
        counts = self.store.answer_counts()
        return min(questions, key=lambda q: counts.get(q.qualified_id, 0))

    # --- engines --------------------------------------------------------------------------

    def find_model(self) -> Path | None:
        """The model to use: the one given, else the search order (settings, models/)."""
        if self.model_path is None:
            self.model_path = self.services.find_model(self.settings)
        return self.model_path

    def load_model(self, path: Path) -> Any:
        """Load (and cache) the Vosk model: slow, so fronts call it in the background."""
        model = self.services.load_model(path)
        self.model_path = path
        return model

    def speaker(self) -> SpeakerChoice:
        """The question speaker, built on first use and kept until the settings change."""
        with self._lock:
            if self._speaker is None:
                self._speaker = self.services.speaker(self.settings)
            return self._speaker

    def speaker_note(self) -> str | None:
        """Why questions are not spoken, the first time it is asked; None afterwards."""
        choice = self.speaker()
        with self._lock:
            if choice.why_not is None or self._speaker_told:
                return None
            self._speaker_told = True
            return choice.why_not

    def input_device(self) -> Device:
        """The microphone an answer will be recorded from (a `UserError` when none)."""
        return self.services.input_device(self.settings)

    def embedder(self) -> Embedder | None:
        """The meaning model for coverage (loaded once, on first use); None for cues only."""
        return self.services.embedder()

    # --- voices and the microphone check ------------------------------------------------

    def voices(self, engine: str | None = None) -> list[tuple[str, str]]:
        """(label, value) of an engine's voices (default: the chosen one), the user's first.

        pyttsx3's come from the engine (slow: call from a worker); Piper's are
        the installed voice files.
        """
        if (engine or self.settings.speech.engine) == "piper":
            return self.services.list_piper_voices()
        return self.services.list_voices()

    def engine_problem(self, engine: str) -> str | None:
        """Why `engine` cannot speak on this machine (one sentence), or None."""
        return self.services.engine_problem(engine)

    def voice_preview(self, speech: SpeechSettings) -> SpeakerChoice:
        """A speaker for `speech` (a form's engine, voice and rate, not saved yet), and why not.

        Built by the same factory as the questions' speaker, so the preview
        sounds exactly as the questions will, fallback included. Call
        ``say(PREVIEW_SENTENCE)`` on it from a worker; ``stop()`` ends it.
        """
        import dataclasses

        return self.services.speaker(dataclasses.replace(self.settings, speech=speech))

    def mic_check(
        self,
        *,
        seconds: float | None = None,
        on_level: Callable[[MicReading], None] | None = None,
        settings: Settings | None = None,
    ) -> MicCheck:
        """A microphone check on the input an answer would use (`MicCheck.run()` records).

        `settings` (default: the coach's) names the input and the thresholds,
        so Settings can check the microphone chosen in its form before it is
        saved. Opening the microphone is a `UserError` when there is none.
        """
        from voice_mock.coach.mic_check import DEFAULT_SECONDS, MicCheck

        settings = settings or self.settings
        try:
            device: str | None = self.services.input_device(settings).name
        except UserError:
            device = None
        source = self.services.mic_source(settings)
        return MicCheck(
            source,
            settings.thresholds,
            seconds=DEFAULT_SECONDS if seconds is None else seconds,
            on_level=on_level,
            device=device,
        )

    def check_microphone(
        self,
        *,
        seconds: float | None = None,
        on_level: Callable[[MicReading], None] | None = None,
        settings: Settings | None = None,
    ) -> MicCheckResult:
        """Record a few seconds, then judge loudness and clipping with the user's thresholds."""
        return self.mic_check(seconds=seconds, on_level=on_level, settings=settings).run()

    def mic_check_player(self, settings: Settings | None = None) -> Player:
        """A player for the check's play-back on the chosen output (keep it to stop it)."""
        return self.services.player(settings or self.settings)

    def play_back(self, result: MicCheckResult, player: Player | None = None) -> bool:
        """Play the check's recording (blocking); False when stopped or there is nothing."""
        if result.samples.size == 0:
            return False
        return (player or self.mic_check_player()).play(result.samples, result.rate)

    # --- practice ---------------------------------------------------------------------

    def new_turn(
        self,
        question: Question | None,
        *,
        phone: bool,
        listener: TurnListener | BasicTurnListener | None = None,
        model_path: Path | None = None,
    ) -> PracticeTurn:
        """One practice turn, built with this coach's microphone, speaker, model and store."""
        from voice_mock.coach.turn import PracticeTurn

        choice = self.speaker()
        return PracticeTurn(
            question,
            settings=self.settings,
            store=self.store,
            model_path=model_path if model_path is not None else self.model_path,
            source=self.services.mic_source(self.settings),
            speaker=choice.speaker,
            phone=phone,
            listener=listener,
            meaning=self.embedder,
            speaker_note=self.speaker_note(),
        )

    # --- mock interviews ------------------------------------------------------------------

    def mock_turn(
        self,
        question: Question | None,
        *,
        phone: bool,
        listener: TurnListener | BasicTurnListener | None = None,
        model_path: Path | None = None,
        prompt: str | None = None,
        intro: str | None = None,
        mock_id: str | None = None,
        follow_up_of: str | None = None,
    ) -> PracticeTurn:
        """A turn of a mock interview: a question (or a follow-up's `prompt`) tied to its unit.

        Built like `new_turn`; see `PracticeTurn` for what the other arguments mean.
        """
        from voice_mock.coach.turn import PracticeTurn

        choice = self.speaker()
        return PracticeTurn(
            question,
            settings=self.settings,
            store=self.store,
            model_path=model_path if model_path is not None else self.model_path,
            source=self.services.mic_source(self.settings),
            speaker=choice.speaker,
            phone=phone,
            listener=listener,
            meaning=self.embedder,
            speaker_note=self.speaker_note(),
            prompt=prompt,
            intro=intro,
            mock_id=mock_id,
            follow_up_of=follow_up_of,
        )

    def mock_questions(self, count: int, pool: Sequence[Question] | None = None) -> list[Question]:
        """`count` questions of mixed categories for a mock, the least practised first."""
        from voice_mock.coach.mock import mixed_questions

        questions = list(pool) if pool is not None else self.library.questions()
        if not questions:
            raise UserError("The loaded question banks hold no questions.")
        return mixed_questions(questions, count, self.store.answer_counts())

    def start_mock(self, questions: Sequence[Question], *, phone: bool) -> MockInterview:
        """Save a new mock interview and return it, ready to ask its first question."""
        from voice_mock.coach.mock import MockInterview

        if not questions:
            raise UserError("A mock interview needs at least one question.")
        title = "Mock phone screen" if phone else "Mock interview"
        record = self.store.create_mock(questions, phone=phone, title=title)
        return MockInterview(self, record, questions)

    def scorecard(self, mock_id: str) -> Scorecard:
        """A saved mock interview's scorecard (per question and overall), from what was saved."""
        from voice_mock.coach.mock import build_scorecard

        return build_scorecard(self, mock_id)

    def mock_export_text(self, mock_id: str, fmt: ExportFormat = "md") -> str:
        """A mock interview as one Markdown or JSON document: scorecard, then every answer."""
        from voice_mock.coach.mock import mock_export_text

        return mock_export_text(self, mock_id, fmt)

    def export_mock(
        self,
        mock_id: str,
        target: Path,
        *,
        fmt: ExportFormat | None = None,
        overwrite: bool = False,
    ) -> Export:
        """Write a mock interview's document to `target`; never replaces a file unasked."""
        from voice_mock.coach.mock import export_mock

        return export_mock(self, mock_id, target, fmt=fmt, overwrite=overwrite)

    def recover_unfinished(self, model_path: Path | None = None) -> list[Recovered]:
        """Finish answers a crash or a missing model left behind (see `coach.recovery`)."""
        from voice_mock.coach.recovery import recover_unfinished

        path = model_path if model_path is not None else self.model_path
        return recover_unfinished(
            self.store,
            self.settings,
            path,
            find_question=self.question_for,
            meaning=self.embedder() if self.store.unfinished() else None,
        )

    # --- analysis -----------------------------------------------------------------------

    def analyze_file(
        self,
        path: Path,
        *,
        question: Question | None,
        phone: bool,
        model_path: Path | None = None,
    ) -> AnalysisResult:
        """Analyse a recording or a transcript file (``voice-mock analyze``).

        The embedding model is loaded only after the input has been read, so a
        bad path or file is refused at once rather than after the model's load.
        """
        from voice_mock.coach.analysis import analyze_input, is_transcript_file

        path = Path(path).expanduser()
        model = None
        if path.is_file() and not is_transcript_file(path):
            model = model_path or self.find_model()
        return analyze_input(
            path,
            question=question,
            settings=self.settings,
            model_path=model,
            phone=phone,
            load_meaning=self.embedder,
        )

    def save_analysis(
        self, result: AnalysisResult, question: Question | None, *, phone: bool
    ) -> SessionRecord:
        from voice_mock.coach.analysis import save_session

        return save_session(self.store, result, question, phone=phone)

    def reanalyze(
        self, session_id: str, *, retranscribe: bool = False, model_path: Path | None = None
    ) -> tuple[SessionRecord, AnalysisResult]:
        """Analyse a saved session again (new thresholds, an edited bank, a better model).

        The question is looked up again as ``bank/id`` in the loaded banks, so
        edits to its key points count; a session whose question's bank is not
        loaded is refused rather than judged as a free answer. The embedding model
        loads only once the transcript is in hand (`analyse_saved`), so a session
        that cannot be analysed is refused at once.
        """
        from voice_mock.coach.analysis import analyse_saved

        record = self.store.get(session_id)
        question = self.record_question(record)
        ref = record.qualified_question_id
        if ref is not None and question is None:
            raise UserError(
                f"Session {record.id} answered question {ref}, which is not in the loaded "
                "question banks; add its bank with --questions PATH."
            )
        needs_model = retranscribe or not record.transcript_path.is_file()
        model = (model_path or self.find_model()) if needs_model else None
        result = analyse_saved(
            record,
            question=question,
            settings=self.settings,
            model_path=model,
            retranscribe=retranscribe,
            load_meaning=self.embedder,
        )
        updated = self.store.update_analysis(record.id, result.transcript, result.report.to_dict())
        return updated, result

    # --- review ---------------------------------------------------------------------------

    def saved_report(self, record: SessionRecord) -> SavedReport | None:
        """The session's report as typed objects, or None before it is analysed."""
        from voice_mock.analysis.saved import SavedReport

        data = record.load_report()
        return None if data is None else SavedReport.from_dict(data)

    def advice(self, report: SavedReport, question: Question | None) -> Advised:
        """What to work on first, and why, for one saved answer (`analysis.advice`): the
        report's own advice, or advice judged now from its numbers (an older report)."""
        from voice_mock.analysis.advice import advised

        target = question.target_seconds if question is not None else None
        return advised(report, self.settings.thresholds, target)

    def point_hints(self, report: SavedReport, question: Question | None) -> dict[str, str]:
        """How each key point the answer missed could sound, by point id (from the bank)."""
        from voice_mock.analysis.advice import missed_hints

        return {} if question is None else missed_hints(report, question.key_points)

    def session_doc(self, record: SessionRecord) -> SessionDoc:
        """Everything an export or a review shows about one session."""
        from voice_mock.render.markdown import SessionDoc

        question = self.record_question(record)
        report = self.saved_report(record) if record.status == "done" else None
        return SessionDoc(
            record=record,
            report=report,
            transcript=record.load_transcript(),
            target_s=question.target_seconds if question is not None else None,
            points=question.key_points if question is not None else (),
        )

    # --- progress ---------------------------------------------------------------------

    def progress(
        self,
        *,
        search: str | None = None,
        category: str | None = None,
        question_id: str | None = None,
    ) -> list[ProgressPoint]:
        """Finished answers with words that match the filters, oldest first (the charts).

        A silent take is left out: it is no 0 wpm on a pace chart.
        """
        from voice_mock.render.charts import spoke
        from voice_mock.store import progress_of

        records = self.store.sessions(
            search=search,
            category=category,
            question_id=question_id,
            status="done",
            order_by="started_at",
            descending=False,
        )
        return [point for point in progress_of(records) if spoke(point)]

    def length_target(self, points: Sequence[ProgressPoint]) -> tuple[float, float] | None:
        """The answer length band the charted answers share (one question, or questions with
        the same band); None when their targets differ or a question is not loaded."""
        bands: set[tuple[float, float]] = set()
        seen: dict[str | None, tuple[float, float] | None] = {}
        for point in points:
            if point.question_id not in seen:
                question = self.question_for(point.question_id)
                seen[point.question_id] = (
                    question.target_seconds
                    if question is not None
                    else (None if point.question_id else self.settings.thresholds.general_target_s)
                )
            band = seen[point.question_id]
            if band is None:
                return None
            bands.add((float(band[0]), float(band[1])))
            if len(bands) > 1:
                return None
        return bands.pop() if bands else None

    def week_summary(self, points: Sequence[ProgressPoint]) -> WeekSummary | None:
        """Which habits improved this week among `points` (`analysis.summary.week_summary`)."""
        from datetime import UTC, datetime

        from voice_mock.analysis.summary import week_summary

        return week_summary(points, self.settings.thresholds, datetime.now(UTC))

    def question_stats(self) -> dict[str, QuestionStats]:
        """Per question (``bank/id``): how often it was answered, the last and best results."""
        return self.store.question_stats()

    # --- export and delete ------------------------------------------------------------

    def export_text(
        self, records: Sequence[SessionRecord], fmt: ExportFormat, *, title: str | None = None
    ) -> str:
        """The export of `records` as Markdown or JSON text (one document for several)."""
        import json

        if fmt == "json":
            items = [self.session_json(record) for record in records]
            data: Any = (
                items[0]
                if len(items) == 1 and title is None
                else {
                    "title": title,
                    "sessions": items,
                }
            )
            return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        from voice_mock.render.markdown import sessions_markdown

        docs = [self.session_doc(record) for record in records]
        return sessions_markdown(docs, self.settings.thresholds, title=title)

    def session_json(self, record: SessionRecord) -> dict[str, Any]:
        """One session in one JSON-ready dict: metadata, transcript, report."""
        transcript = record.load_transcript()
        report = record.load_report()
        if report is not None and "advice" not in report:
            report = self.advised_report(record, report)
        return {
            "session": record.to_dict(),
            "transcript": transcript.to_vosk() if transcript is not None else None,
            "report": report,
        }

    def advised_report(self, record: SessionRecord, data: dict[str, Any]) -> dict[str, Any]:
        """A report saved before advice existed, with the ``advice`` and ``focus`` it would
        hold now (judged from its numbers), so a JSON export always carries them."""
        from voice_mock.analysis.saved import SavedReport

        advice = self.advice(SavedReport.from_dict(data), self.record_question(record))
        return {**data, **advice.to_dict()}

    def export(
        self,
        records: Sequence[SessionRecord],
        target: Path,
        *,
        fmt: ExportFormat | None = None,
        overwrite: bool = False,
        title: str | None = None,
    ) -> Export:
        """Write the export of `records` to `target` (a file, or a folder to put it in).

        The format follows `fmt`, else the file's suffix (``.json``), else
        Markdown. An existing file is never replaced unless `overwrite` is set.
        """
        from voice_mock.fileio import atomic_write_text

        if not records:
            raise UserError("There is nothing to export.")
        target = Path(target).expanduser()
        kind: ExportFormat = fmt or ("json" if target.suffix.lower() == ".json" else "md")
        if target.is_dir():
            name = records[0].id if len(records) == 1 else "voice-mock-export"
            target = target / f"{name}.{kind}"
        if target.exists() and not overwrite:
            raise UserError(f"{target} already exists; choose another name or allow replacing it.")
        text = self.export_text(records, kind, title=title)
        try:
            atomic_write_text(target, text)
        except OSError as exc:
            raise UserError(f"{target} could not be written: {exc.strerror or exc}.") from None
        return Export(target, len(records))

    def delete(self, session_id: str) -> SessionRecord:
        """Delete a session (its folder, then its row); a sentence says what could not go."""
        return self.store.delete(session_id)


def default_export_name(records: Sequence[SessionRecord], fmt: ExportFormat = "md") -> str:
    """A file name for an export in the current folder."""
    stem = records[0].id if len(records) == 1 else "voice-mock-export"
    return f"{stem}.{fmt}"


ProgressCallback = Callable[[int, int | None], None]
