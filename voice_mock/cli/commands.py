"""One handler per command: parse what the user asked, call the `Coach`, print the result.

Handlers decide nothing themselves; what a command does lives in the coach
(`voice_mock.coach`), so the app and the command line behave alike.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from voice_mock.cli.output import EXIT_INTERRUPTED, err, json_text, out, safe
from voice_mock.errors import UserError
from voice_mock.render.safe import json_safe

if TYPE_CHECKING:
    from voice_mock.analysis.live import LiveReading
    from voice_mock.analysis.report import Report
    from voice_mock.bank import Library, Question
    from voice_mock.cli.live import ConsoleListener
    from voice_mock.coach import Coach, Services
    from voice_mock.coach.turn import TurnResult
    from voice_mock.config import Settings

MAX_LIMIT = 1_000_000_000


class Context:
    """What a handler needs, built on first use: settings, banks, the coach."""

    def __init__(self, args: argparse.Namespace, services: Services | None) -> None:
        self.args = args
        self.services = services
        self._settings: Settings | None = None
        self._coach: Coach | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from voice_mock.config import load_settings

            self._settings = load_settings()
        return self._settings

    def library(self) -> Library:
        """Bundled banks plus ``--questions``; default lengths follow the user's thresholds."""
        from voice_mock.bank import load_library

        extra = [Path(p).expanduser() for p in getattr(self.args, "questions", None) or []]
        return load_library(extra, thresholds=self.settings.thresholds)

    def explicit_model(self) -> Path | None:
        value = getattr(self.args, "model", None)
        return Path(value).expanduser() if value else None

    def find_model(self) -> Path | None:
        from voice_mock.speech.models import find_model

        return find_model(self.explicit_model(), self.settings)

    def coach(self, *, settings: Settings | None = None, model: bool = False) -> Coach:
        """The coach for this command (`model`: look the speech model up now)."""
        if self._coach is None:
            from voice_mock.coach import Coach
            from voice_mock.store import Store

            settings = settings or self.settings
            self._coach = Coach(
                settings,
                self.library(),
                Store(settings.sessions_dir()),
                self.services,
                self.find_model() if model else self.explicit_model(),
            )
        return self._coach

    def close(self) -> None:
        if self._coach is not None:
            self._coach.store.close()


def _report_text(coach: Coach, report: Report, question: Question | None) -> str:
    from voice_mock.analysis.saved import SavedReport
    from voice_mock.render.text import report_text

    saved = SavedReport.from_dict(report.to_dict())
    target = question.target_seconds if question is not None else None
    points = question.key_points if question is not None else ()
    return report_text(saved, coach.settings.thresholds, target=target, points=points)


# --- the app ------------------------------------------------------------------------


def cmd_app(args: argparse.Namespace, ctx: Context) -> int:
    """No subcommand: the Textual app."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError(
            "The voice-mock app needs an interactive terminal; use a command such as "
            "`voice-mock analyze` or `voice-mock practice` instead (see voice-mock --help)."
        )
    coach = ctx.coach(model=True)
    try:
        from voice_mock.tui.app import run_app
    except ImportError as exc:
        raise UserError(
            f"The Textual app could not be loaded ({exc}); the commands still work "
            "(see voice-mock --help)."
        ) from None
    return run_app(coach)


# --- analyze ------------------------------------------------------------------------


def cmd_analyze(args: argparse.Namespace, ctx: Context) -> int:
    coach = ctx.coach()
    question = coach.question(args.question) if args.question else None
    result = coach.analyze_file(
        Path(args.input), question=question, phone=args.phone, model_path=ctx.find_model()
    )
    saved = coach.save_analysis(result, question, phone=args.phone) if args.save else None
    if args.json:
        out(json_text(result.report.to_dict()))
    else:
        out(_report_text(coach, result.report, question))
    if saved is not None:
        sys.stdout.flush()
        err(f"Saved as session {saved.id}.")
    return 0


# --- questions ----------------------------------------------------------------------


def cmd_questions_list(args: argparse.Namespace, ctx: Context) -> int:
    library = ctx.library()
    questions = library.questions()
    if args.category:
        wanted = args.category.strip().lower()
        if wanted == "behavioural":  # the British spelling the docs use
            wanted = "behavioral"
        questions = [q for q in questions if q.category == wanted]
        if not questions:
            categories = sorted({q.category for q in library.questions()})
            raise UserError(
                f"No question has the category '{safe(args.category)}'; the loaded banks use "
                f"{', '.join(categories) or 'no categories'}."
            )
    seen: dict[str, int] = {}
    for q in library.questions():
        seen[q.id] = seen.get(q.id, 0) + 1
    width = max((len(_ref(q, seen)) for q in questions), default=0)
    for bank in library.banks:
        rows = [q for q in questions if q.bank_id == bank.id]
        if not rows:
            continue
        out(f"{bank.id}: {safe(bank.title)} ({len(rows)} question{'' if len(rows) == 1 else 's'})")
        for q in rows:
            out(f"  {_ref(q, seen):<{width}}  {q.category:<10}  {safe(q.text)}")
    return 0


def _ref(question: Question, seen: dict[str, int]) -> str:
    """The shortest id `--question` accepts: plain, or ``BANK/ID`` when banks share it."""
    return question.qualified_id if seen.get(question.id, 0) > 1 else question.id


def cmd_questions_show(args: argparse.Namespace, ctx: Context) -> int:
    q = ctx.library().find(args.id)
    low, high = q.target_seconds
    out(safe(q.text))
    out("")
    out(f"id:        {q.qualified_id}")
    out(f"category:  {q.category}")
    out(f"target:    {low:g}-{high:g} s")
    out(f"STAR:      {'yes' if q.star else 'no'}")
    if q.why:
        out("")
        out(f"Why they ask: {safe(q.why)}")
    points = []
    for p in q.key_points:
        points.append(f"{safe(p.label)} [{p.id}]  cues: {', '.join(safe(c) for c in p.cues)}")
        points.extend(f"    e.g. {safe(e)}" for e in p.examples)
    for title, items in (
        ("Key points", points),
        ("Tips", [safe(t) for t in q.tips]),
        ("Follow-up questions", [safe(f) for f in q.follow_ups]),
    ):
        if items:
            out("")
            out(f"{title}:")
            for item in items:
                out(item if item.startswith("    e.g.") else f"  - {item}")
    if q.example_answer:
        out("")
        if args.example:
            out("Example answer:")
            out(f"  {safe(q.example_answer)}")
        else:
            out("Example answer: hidden so it does not shape your first attempt (--example).")
    return 0


def cmd_questions_validate(args: argparse.Namespace, ctx: Context) -> int:
    from voice_mock.bank import validate_path

    banks = validate_path(Path(args.path).expanduser(), thresholds=ctx.settings.thresholds)
    for bank in banks:
        count = len(bank.questions)
        out(f"OK: {count} question{'' if count == 1 else 's'} in {bank.id}")
    return 0


# --- model --------------------------------------------------------------------------


def cmd_model_download(args: argparse.Namespace, ctx: Context) -> int:
    from voice_mock.cli.progress import DownloadProgress
    from voice_mock.speech.models import DEFAULT_MODEL, download_model

    name = args.name or DEFAULT_MODEL
    with DownloadProgress(f"Downloading {safe(name)}") as progress:
        path = download_model(
            name,
            Path(args.dest).expanduser() if args.dest else None,
            url=args.url,
            progress=progress,
        )
    out(str(path))
    return 0


def cmd_model_list(args: argparse.Namespace, ctx: Context) -> int:
    from voice_mock import config
    from voice_mock.speech.models import (
        MODEL_CATALOG,
        installed_models,
        model_dir_problem,
        model_search_order,
    )

    settings = ctx.settings
    models_dir = config.default_models_dir()
    installed = {p.name: p for p in installed_models(models_dir)}
    out("Models voice-mock can download (voice-mock model download NAME):")
    width = max(len(name) for name in MODEL_CATALOG)
    for name, entry in MODEL_CATALOG.items():
        mark = "  [installed]" if name in installed else ""
        out(
            f"  {name:<{width}}  {entry.approx_mb:>4} MB  WER {entry.wer_percent:.2f}%  "
            f"{entry.description}{mark}"
        )
    out("")
    out(f"Installed in {models_dir}:")
    if installed:
        for path in installed.values():
            out(f"  {safe(path.name)}")
    else:
        out("  (none)")
    out("")
    out("Search order (the first one set is used):")
    order = model_search_order(ctx.explicit_model(), settings)
    label_width = max(len(label) for label, _ in order)
    for n, (label, candidate) in enumerate(order, start=1):
        if candidate is None:
            state = "not set" if n < len(order) else f"no model in {models_dir}"
        else:
            problem = model_dir_problem(candidate)
            state = safe(str(candidate)) + (f"  (not a model: {problem})" if problem else "")
        out(f"  {n}. {label:<{label_width}}  {state}")
    out("")
    found = ctx.find_model()
    if not found:
        out("In use: none (run `voice-mock model download`)")
        return 0
    out(f"In use: {safe(str(found))}")
    for line in _fitness_lines(found):
        out(f"  {line}")
    return 0


def _fitness_lines(path: Path) -> list[str]:
    """What the model in use can do for English answers (its language, fillers)."""
    from voice_mock.speech.fitness import check_model
    from voice_mock.speech.stt import load_model

    try:
        fitness = check_model(load_model(path))
    except UserError as exc:
        return [str(exc)]
    return fitness.messages() or ["It knows English words and can write 'um' and 'uh'."]


def cmd_model_path(args: argparse.Namespace, ctx: Context) -> int:
    from voice_mock.speech.models import model_missing_message

    found = ctx.find_model()
    if found is None:
        raise UserError(model_missing_message())
    out(str(found))
    return 0


# --- practice -----------------------------------------------------------------------


def _practice_console() -> ConsoleListener:
    """The practice turn's console listener, with the countdowns and nudges said as lines."""
    from voice_mock.cli.live import ConsoleListener

    class PracticeConsole(ConsoleListener):
        def __init__(self) -> None:
            super().__init__()
            self.nudge: str | None = None
            self.thinking = False

        def on_countdown(self, seconds_left: int) -> None:
            if seconds_left:
                self.on_message(f"Stopping in {seconds_left}... speak to continue.")

        def on_thinking(self, seconds_left: int) -> None:
            """The first second, every ten, and the last three: a line each, not a flood."""
            first, self.thinking = not self.thinking, seconds_left > 0
            if seconds_left and (first or seconds_left <= 3 or seconds_left % 10 == 0):
                self.on_message(f"Thinking time: recording starts in {seconds_left} s.")

        def on_live(self, reading: LiveReading) -> None:
            if reading.nudge and reading.nudge != self.nudge:
                self.on_message(reading.nudge)
            self.nudge = reading.nudge

    return PracticeConsole()


def cmd_practice(args: argparse.Namespace, ctx: Context) -> int:
    from voice_mock.cli.live import run_turn

    settings = ctx.settings
    if args.device is not None:
        settings = dataclasses.replace(
            settings, audio=dataclasses.replace(settings.audio, input_device=args.device)
        )
    coach = ctx.coach(settings=settings, model=True)
    phone = bool(args.phone or settings.phone_mode)
    if args.mock is not None and args.question:
        raise UserError("Choose either --question or --mock N, not both.")
    if args.bank and args.question:
        raise UserError("Choose either --question or --bank, not both.")
    if args.mock is not None and not 1 <= args.mock <= MAX_MOCK_QUESTIONS:
        raise UserError(f"--mock takes a number of questions from 1 to {MAX_MOCK_QUESTIONS}.")
    chosen = coach.question(args.question) if args.question else None  # bad ids fail first
    pool = list(coach.library.bank(args.bank).questions) if args.bank else None
    model_path = coach.model_path
    if model_path is not None and coach.store.unfinished():
        err("Finishing earlier answers that were not transcribed yet...")
    for item in coach.recover_unfinished():
        if item.status == "done":
            err(f"Finished an interrupted session: {item.session_id}.")
        elif item.status == "failed":
            err(f"Could not finish session {item.session_id}: {safe(item.message)}")
    if model_path is None:
        from voice_mock.speech.models import model_missing_message

        err(f"{model_missing_message()} Your answer will be saved and transcribed later.")
    if args.mock is not None:
        return _practice_mock(coach, args.mock, phone, pool)
    question = chosen or coach.least_practised(pool)
    turn = coach.new_turn(question, phone=phone, listener=_practice_console())  # opens the mic
    turn.model_notice_given = model_path is None  # said above, once
    out(f"Question ({question.qualified_id}): {safe(question.text)}")
    sys.stdout.flush()
    result, interrupts = run_turn(turn)
    if result.report is not None:
        out("")
        out(_report_text(coach, result.report, question))
    _tell_unsaid(result)
    if result.session_id and result.saved:
        err(f"Saved as session {result.session_id}.")
    elif result.session_id:
        return 2  # the answer could not be saved whole; the message said why (audio kept)
    elif interrupts:
        return EXIT_INTERRUPTED  # Ctrl-C before recording began: the user quit
    return 0


MAX_MOCK_QUESTIONS = 20


def _tell_unsaid(result: TurnResult) -> None:
    """The turn's notes that were not printed while it ran (the live lines said the rest)."""
    for note in result.unsaid:
        err(safe(note))


def _answer_line(result: TurnResult) -> str:
    """One line about a mock answer: its length, pace, fillers, key points (or that it has
    none: why was said while the turn ran, or is said after this line)."""
    from voice_mock.analysis.saved import SavedReport
    from voice_mock.render.numbers import clock, number, percent, whole

    if result.report is None:
        recorded = result.recording.duration_s if result.recording is not None else 0.0
        if result.session_id is None or not recorded:
            return "Answer: nothing recorded."
        return f"Answer: {clock(recorded)} recorded, not analysed."
    report = SavedReport.from_dict(result.report.to_dict())
    points = f" · key points {percent(report.coverage.ratio)}" if report.coverage.checked else ""
    return (
        f"Answer: {clock(report.speaking_s)} · {whole(report.wpm)} wpm · "
        f"fillers {number(report.fillers.per_minute)}/min{points}"
    )


def _practice_mock(
    coach: Coach, count: int, phone: bool, pool: list[Question] | None = None
) -> int:
    """`practice --mock N`: N questions of mixed categories in a row, like an interview
    (from `pool`, one bank's questions, when ``--bank`` chose one).

    The interviewer opens, may ask one follow-up after an answer, and closes;
    the interview is saved as one unit and its scorecard printed. Ctrl-C ends
    an answer (it is kept); pressed again, it leaves the interview, which is
    kept with the answers given.
    """
    from voice_mock.cli.live import run_turn
    from voice_mock.coach.mock import scorecard_text

    questions = coach.mock_questions(count, pool)
    interview = coach.start_mock(questions, phone=phone)
    out(f"Mock {'phone screen' if phone else 'interview'}: {plural_questions(len(questions))}.")
    out("Enter (or Ctrl-C) ends an answer; Ctrl-C twice leaves the interview.")
    completed = False
    try:
        for position, question in enumerate(questions):
            turn = interview.turn(
                position, listener=_practice_console(), model_path=coach.model_path
            )
            turn.model_notice_given = coach.model_path is None  # said once, before the interview
            out("")
            out(f"Question {position + 1} of {len(questions)}: {safe(question.text)}")
            sys.stdout.flush()
            result, interrupts = run_turn(turn)
            if result.session_id is None and interrupts:
                break  # Ctrl-C before the recording began: the user leaves
            out(_answer_line(result))
            _tell_unsaid(result)
            interview.saved(result.session_id)
            follow_up = interview.follow_up(position, result.session_id)
            if follow_up is None or result.session_id is None:
                continue
            turn = interview.follow_up_turn(
                follow_up,
                result.session_id,
                listener=_practice_console(),
                model_path=coach.model_path,
            )
            turn.model_notice_given = coach.model_path is None
            out(f"Follow-up: {safe(follow_up.text)}")
            sys.stdout.flush()
            result, interrupts = run_turn(turn)
            if result.session_id is None and interrupts:
                break
            out(_answer_line(result))
            _tell_unsaid(result)
            interview.saved(result.session_id)
        else:
            completed = True
            out("")
            out(safe(interview.closing()))
            interview.say(interview.closing())
    finally:
        record = interview.finish(completed=completed)
    if record is None:
        err("The mock interview was left before any answer; nothing was saved.")
        return EXIT_INTERRUPTED
    out("")
    out(scorecard_text(coach.scorecard(record.id)))
    err(
        f"Saved as mock interview {record.id}; see it again with "
        f"`voice-mock history --mock {record.id[-6:]}`."
    )
    return 0 if completed else EXIT_INTERRUPTED


def plural_questions(count: int) -> str:
    return "one question" if count == 1 else f"{count} questions"


# --- devices, voices, the microphone check --------------------------------------------


def cmd_devices(args: argparse.Namespace, ctx: Context) -> int:
    from voice_mock.audio.devices import list_devices

    devices = list_devices()
    if not devices:
        out(
            "No audio devices were found: this machine has no sound card that PortAudio "
            "can use (or the sound server is not running)."
        )
        return 1 if getattr(args, "check", False) else 0
    out("  #  in  out    rate  name")
    for d in devices:
        marks = []
        if d.is_default_in:
            marks.append("default input")
        if d.is_default_out:
            marks.append("default output")
        suffix = f"  ({', '.join(marks)})" if marks else ""
        out(
            f"{d.index:>3}  {d.max_in:>2}  {d.max_out:>3}  {d.default_rate:>6.0f}  "
            f"{safe(d.name)}{suffix}"
        )
    if not any(d.max_in > 0 for d in devices):
        out("No input device (microphone) was found, so answers cannot be recorded.")
        return 1 if getattr(args, "check", False) else 0
    if getattr(args, "check", False):
        out("")
        return cmd_mic_check(args, ctx)
    return 0


def cmd_voices(args: argparse.Namespace, ctx: Context) -> int:
    """The voices of one engine (default: the chosen one), the user's language first."""
    engine = getattr(args, "engine", None) or ctx.settings.speech.engine
    if engine == "piper":
        return cmd_voice_list(args, ctx)
    from voice_mock.speech.tts import list_voices, sorted_voices

    voices = sorted_voices(list_voices())
    if not voices:
        out("The speech engine offers no voices.")
        return 0
    chosen = ctx.settings.speech.voice
    in_use = chosen if chosen and any(v.id == chosen for v in voices) else None
    if in_use is None:
        in_use = next((v.id for v in voices if v.is_default), None)
    width = max(len(v.id) for v in voices)
    for v in voices:
        mark = "*" if v.id == in_use else " "
        langs = f"  ({', '.join(v.languages)})" if v.languages else ""
        out(f"{mark} {safe(v.id):<{width}}  {safe(v.name)}{safe(langs)}")
    if chosen and in_use != chosen:
        err(
            f"The configured voice '{safe(chosen)}' is not one of these; the engine's default "
            "speaks instead."
        )
    if in_use is not None:
        why = "speech.voice" if in_use == chosen else "the engine's default"
        out(f"Marked * is in use ({why}); choose another in Settings or set [speech] voice.")
    return 0


def cmd_voice_list(args: argparse.Namespace, ctx: Context) -> int:
    """Piper voices: installed ones (the one in use marked), then the ones known by name."""
    from voice_mock.speech.piper import INSTALL_HINT, piper_problem
    from voice_mock.speech.voices import (
        PIPER_CATALOG,
        PiperVoiceFile,
        find_voice,
        installed_voices,
        sorted_for_user,
        voices_dir,
    )

    speech = ctx.settings.speech
    folder = voices_dir()
    installed: list[PiperVoiceFile] = installed_voices(folder)
    in_use: PiperVoiceFile | None = None
    problem: str | None = None
    try:
        in_use = find_voice(speech.piper_voice)
    except UserError as exc:
        problem = str(exc)
    if in_use is not None and all(v.model != in_use.model for v in installed):
        installed.append(in_use)  # a voice the setting names by its path
    installed = sorted_for_user(installed, languages=lambda v: v.languages, name=lambda v: v.name)
    out(f"Piper voices installed in {safe(str(folder))}:")
    if not installed:
        out("  (none)")
    width = max([len(v.name) for v in installed] + [len(n) for n in PIPER_CATALOG])
    for v in installed:
        mark = "*" if in_use is not None and v.model == in_use.model else " "
        where = "" if v.model.parent.parent == folder or v.model.parent == folder else str(v.model)
        licence = f"licence {v.licence}" if v.licence else "licence: see its MODEL_CARD"
        out(
            f"{mark} {safe(v.name):<{width}}  {safe(v.language or '?'):<6}  "
            f"{safe(licence)}  {safe(where)}".rstrip()
        )
    out("")
    out("Voices voice-mock can download (voice-mock voice download NAME):")
    known = sorted_for_user(
        PIPER_CATALOG.values(), languages=lambda v: v.languages, name=lambda v: v.name
    )
    names = {v.name for v in installed}
    for entry in known:
        mark = "  [installed]" if entry.name in names else ""
        out(
            f"  {entry.name:<{width}}  {entry.language:<6}  {entry.approx_mb:>3} MB  "
            f"{entry.description}{mark}"
        )
    out("Any other voice of the Piper collection downloads by its name (en_GB-alba-medium).")
    out("")
    missing = piper_problem()
    if missing is not None:
        out(f"Piper is not installed: {INSTALL_HINT} to speak with these voices (GPL-3.0).")
    if speech.engine != "piper":
        out(
            "Questions use pyttsx3 (espeak-ng); choose Piper in Settings or set [speech] "
            'engine = "piper".'
        )
    elif in_use is not None and missing is None:
        out(f'In use: {safe(in_use.name)} (speech.engine = "piper").')
    elif problem is not None:
        out(f"Not in use: {safe(problem)} Questions use pyttsx3 (espeak-ng) until then.")
    return 0


def cmd_voice_download(args: argparse.Namespace, ctx: Context) -> int:
    """Download a Piper voice (its .onnx and .onnx.json) like `model download` does."""
    from voice_mock.cli.progress import DownloadProgress
    from voice_mock.speech.piper import INSTALL_HINT, piper_problem
    from voice_mock.speech.voices import DEFAULT_PIPER_VOICE, download_voice

    name = args.name or DEFAULT_PIPER_VOICE
    with DownloadProgress(f"Downloading {safe(name)}") as progress:
        path = download_voice(
            name,
            Path(args.dest).expanduser() if args.dest else None,
            url=args.url,
            progress=progress,
        )
    out(str(path))
    speech = ctx.settings.speech
    if speech.engine != "piper" or (speech.piper_voice or name) != name:
        err(
            f'To use it, choose it in Settings, or set [speech] engine = "piper" and '
            f'piper_voice = "{safe(name if not args.dest else str(path / (name + ".onnx")))}" '
            "in config.toml."
        )
    if piper_problem() is not None:
        err(f"Piper itself is not installed yet: {INSTALL_HINT} (GPL-3.0).")
    return 0


def cmd_mic_check(args: argparse.Namespace, ctx: Context) -> int:
    """Say something: a level meter, then the verdict (fine, too quiet, clipping); 1 if not fine."""
    from voice_mock.coach.mic_check import DEFAULT_SECONDS, MicReading

    settings = ctx.settings
    device = getattr(args, "device", None)
    if device is not None:
        settings = dataclasses.replace(
            settings, audio=dataclasses.replace(settings.audio, input_device=device)
        )
    coach = ctx.coach(settings=settings)
    seconds = getattr(args, "seconds", None)
    seconds = DEFAULT_SECONDS if seconds is None else seconds
    if not 0 < seconds <= 60:
        raise UserError("--seconds must be a number above 0 and at most 60.")
    tty = sys.stderr.isatty()

    def meter(reading: MicReading) -> None:
        filled = round(max(0.0, min(1.0, (reading.dbfs + 60.0) / 60.0)) * 30)
        bar = "#" * filled + "-" * (30 - filled)
        sys.stderr.write(f"\r  mic [{bar}] {reading.dbfs:5.0f} dB  {reading.elapsed_s:4.1f} s ")
        sys.stderr.flush()

    check = coach.mic_check(seconds=seconds, on_level=meter if tty else None)
    where = f" on '{safe(check.device)}'" if check.device else ""
    err(
        f"Microphone check{where}: say a sentence, as loud as you would answer "
        f"(up to {seconds:g} s)."
    )
    try:
        result = check.run()
    finally:
        if tty:
            sys.stderr.write("\n")
    out(safe(result.summary))
    if getattr(args, "play", False) and result.samples.size:
        err("Playing it back...")
        coach.play_back(result)
    return 0 if result.ok else 1


# --- history, export, reanalyze, delete ---------------------------------------------


def _history_mocks(args: argparse.Namespace, ctx: Context) -> int:
    """`history --mocks`: the mock interviews, newest first; `--mock ID`: one's scorecard."""
    from voice_mock.render.numbers import clock, number, percent, when

    coach = ctx.coach()
    store = coach.store
    if args.mock:
        mock = store.mock(args.mock)
        if args.output:
            written = coach.export_mock(
                mock.id, Path(args.output), fmt="json" if args.json else None, overwrite=args.force
            )
            err(f"Wrote {safe(str(written.path))}.")
        elif args.json:
            sys.stdout.write(coach.mock_export_text(mock.id, "json"))
        else:
            from voice_mock.coach.mock import scorecard_text

            out(scorecard_text(coach.scorecard(mock.id)))
        return 0
    mocks = store.mocks(limit=args.limit)
    if args.json:
        out(json_text([m.to_dict() for m in mocks]))
        return 0
    if not mocks:
        out("No mock interviews yet (voice-mock practice --mock 3 runs one).")
        return 0
    width = max(len(m.id) for m in mocks)
    out(
        f"{'mock interview':<{width}}  {'date':<16}  {'status':<10} {'answers':>7} "
        f"{'length':>6} {'wpm':>4} {'fill/m':>6} {'cover':>5}  title"
    )
    for m in mocks:
        answered = f"{m.answers}/{len(m.questions)}" + (f"+{m.follow_ups}" if m.follow_ups else "")
        out(
            f"{m.id:<{width}}  {when(m.started_at):<16}  "
            f"{'done' if m.finished else 'unfinished':<10} {answered:>7} "
            f"{clock(m.duration_s):>6} {number(m.wpm, digits=0):>4} "
            f"{number(m.fillers_per_min):>6} {percent(m.coverage_ratio):>5}  {safe(m.title)}"
        )
    total = store.count_mocks()
    if len(mocks) < total:
        out(f"({len(mocks)} of {total} mock interviews shown)")
    return 0


def cmd_history(args: argparse.Namespace, ctx: Context) -> int:
    from voice_mock.render.numbers import number, percent, when

    if not 1 <= args.limit <= MAX_LIMIT:
        raise UserError(f"--limit must be a number from 1 to {MAX_LIMIT:,}.")
    if args.mocks or args.mock:
        return _history_mocks(args, ctx)
    if args.output:
        raise UserError("--output writes a mock interview's document: add --mock ID.")
    store = ctx.coach().store
    records = store.sessions(
        question_id=args.question,
        search=args.search,
        since=args.since,
        status=args.status,
        order_by=args.order_by,
        descending=not args.ascending,
        limit=args.limit,
    )
    if args.json:
        out(json_text([r.to_dict() for r in records]))
        return 0
    if not records:
        out("No saved sessions match." if store.count() else "No saved sessions yet.")
        return 0
    width = max(len(r.id) for r in records)
    out(
        f"{'session':<{width}}  {'date':<16}  {'status':<13} {'length':>6} {'wpm':>4} "
        f"{'fill/m':>6} {'cover':>5}  question"
    )
    for r in records:
        out(
            f"{r.id:<{width}}  {when(r.started_at):<16}  {r.status:<13} "
            f"{number(r.duration_s, 's'):>6} {number(r.wpm, digits=0):>4} "
            f"{number(r.fillers_per_min):>6} {percent(r.coverage_ratio):>5}  "
            f"{'↳ follow-up: ' if r.follow_up_of else ''}"
            f"{safe(r.question_text) or '(free answer)'}"
        )
    total = store.count()
    if len(records) < total:
        out(f"({len(records)} of {total} sessions shown)")
    return 0


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    coach = ctx.coach()
    records = [coach.store.get(session_id) for session_id in args.ids]
    if args.output:
        written = coach.export(records, Path(args.output), fmt=args.format, overwrite=args.force)
        err(f"Wrote {safe(str(written.path))}.")
    else:
        text = coach.export_text(records, args.format or "md")
        sys.stdout.write(json_safe(text) if args.format == "json" else text)
    return 0


def cmd_reanalyze(args: argparse.Namespace, ctx: Context) -> int:
    coach = ctx.coach()
    updated, result = coach.reanalyze(
        args.id, retranscribe=args.retranscribe, model_path=ctx.find_model()
    )
    if args.json:
        out(json_text(result.report.to_dict()))
    else:
        out(_report_text(coach, result.report, coach.record_question(updated)))
    err(f"Updated session {updated.id}.")
    return 0


def cmd_delete(args: argparse.Namespace, ctx: Context) -> int:
    from voice_mock.render.numbers import when

    coach = ctx.coach()
    record = coach.store.get(args.id)
    what = safe(record.question_text) or "a free answer"
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError(
                f"Deleting session {record.id} needs a yes: run it in a terminal, or add --yes."
            )
        answer = input(f"Delete {record.id} ({what}, {when(record.started_at)})? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            err("Nothing was deleted.")
            return 0
    coach.delete(record.id)
    err(f"Deleted session {record.id}.")
    return 0


def cmd_reindex(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.coach().store
    rebuilt = store.rebuild_index()
    count = rebuilt.count
    out(f"Indexed {count} session{'' if count == 1 else 's'} from {store.root}.")
    if rebuilt.repaired:
        out(
            f"{len(rebuilt.repaired)} had a missing or damaged session.json and were indexed "
            f"from their files: {', '.join(rebuilt.repaired)}."
        )
    if rebuilt.unreadable:
        out(
            f"{len(rebuilt.unreadable)} folder(s) hold nothing that can be read and were left "
            f"as they are: {', '.join(safe(name) for name in rebuilt.unreadable)}."
        )
    return 0
