"""The command line: ``voice-mock`` (the Textual app) and its headless commands.

A thin front on the core, like the TUI. Two promises shape it:

- ``voice-mock --help`` must be instant, so this module imports only the
  standard library and the light core modules at the top; vosk, numpy, scipy,
  sounddevice, pyttsx3 and textual are imported inside the command that needs
  them.
- Bad input never shows a traceback: every `UserError` becomes one sentence on
  stderr and exit status 2 (argparse's own errors also exit 2), and Ctrl-C
  exits 130 quietly.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from voice_mock import __version__
from voice_mock.errors import UserError

if TYPE_CHECKING:
    from voice_mock.bank import Library, Question
    from voice_mock.config import Settings
    from voice_mock.practice import TurnState
    from voice_mock.store import SessionRecord, Store

PROG = "voice-mock"
EXIT_INTERRUPTED = 130

Handler = Callable[[argparse.Namespace], int]


# --- shared helpers -----------------------------------------------------------------


def _out(text: str = "") -> None:
    print(text, file=sys.stdout)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _settings() -> Settings:
    from voice_mock.config import load_settings

    return load_settings()


def _extra_banks(args: argparse.Namespace) -> list[Path]:
    return [Path(p).expanduser() for p in getattr(args, "questions", None) or []]


def _library(args: argparse.Namespace, settings: Settings) -> Library:
    """Bundled banks plus ``--questions``; default answer lengths follow the user's thresholds."""
    from voice_mock.bank import load_library

    return load_library(_extra_banks(args), thresholds=settings.thresholds)


def _explicit_model(args: argparse.Namespace) -> Path | None:
    value = getattr(args, "model", None)
    return Path(value).expanduser() if value else None


def _find_model(args: argparse.Namespace, settings: Settings) -> Path | None:
    from voice_mock.speech.models import find_model

    return find_model(_explicit_model(args), settings)


def _store(settings: Settings) -> Store:
    from voice_mock.store import Store

    return Store(settings.sessions_dir())


def _question(library: Library, ref: str | None) -> Question | None:
    return library.find(ref) if ref else None


def _fmt(value: float | int | None, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


# --- the app ------------------------------------------------------------------------


def cmd_app(args: argparse.Namespace) -> int:
    """No subcommand: the Textual app."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError(
            "The voice-mock app needs an interactive terminal; use a command such as "
            "`voice-mock analyze` or `voice-mock practice` instead (see voice-mock --help)."
        )
    settings = _settings()
    library = _library(args, settings)
    model_path = _find_model(args, settings)
    try:
        from voice_mock.tui.app import run_app
    except ImportError as exc:
        raise UserError(
            f"The Textual app could not be loaded ({exc}); the commands still work "
            "(see voice-mock --help)."
        ) from None
    result = run_app(settings=settings, library=library, model_path=model_path)
    return result if isinstance(result, int) else 0


# --- analyze ------------------------------------------------------------------------


def cmd_analyze(args: argparse.Namespace) -> int:
    from voice_mock.pipeline import analyze_input, is_transcript_file, save_session

    settings = _settings()
    path = Path(args.input).expanduser()
    question = None
    if args.question or getattr(args, "questions", None):
        question = _question(_library(args, settings), args.question)
    model_path = None
    if path.exists() and not path.is_dir() and not is_transcript_file(path):
        model_path = _find_model(args, settings)
    result = analyze_input(
        path, question=question, settings=settings, model_path=model_path, phone=args.phone
    )
    saved = (
        save_session(_store(settings), result, question, phone=args.phone) if args.save else None
    )
    if args.json:
        _out(json.dumps(result.report.to_dict(), indent=2, ensure_ascii=False))
    else:
        from voice_mock.analysis.report import format_report

        _out(format_report(result.report))
    if saved is not None:
        sys.stdout.flush()
        _err(f"Saved as session {saved.id}.")
    return 0


# --- questions ----------------------------------------------------------------------


def cmd_questions_list(args: argparse.Namespace) -> int:
    settings = _settings()
    library = _library(args, settings)
    questions = library.questions()
    if args.category:
        wanted = args.category.strip().lower()
        questions = [q for q in questions if q.category == wanted]
        if not questions:
            categories = sorted({q.category for q in library.questions()})
            raise UserError(
                f"No question has the category '{args.category}'; the loaded banks use "
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
        _out(f"{bank.id}: {bank.title} ({len(rows)} questions)")
        for q in rows:
            _out(f"  {_ref(q, seen):<{width}}  {q.category:<10}  {q.text}")
    return 0


def _ref(question: Question, seen: dict[str, int]) -> str:
    """The shortest id `--question` accepts: plain, or ``BANK/ID`` when banks share it."""
    return question.qualified_id if seen.get(question.id, 0) > 1 else question.id


def cmd_questions_show(args: argparse.Namespace) -> int:
    settings = _settings()
    q = _library(args, settings).find(args.id)
    low, high = q.target_seconds
    _out(q.text)
    _out("")
    _out(f"id:        {q.qualified_id}")
    _out(f"category:  {q.category}")
    _out(f"target:    {low:g}-{high:g} s")
    _out(f"STAR:      {'yes' if q.star else 'no'}")
    if q.why:
        _out("")
        _out(f"Why they ask: {q.why}")
    points = [f"{p.label} [{p.id}]  cues: {', '.join(p.cues)}" for p in q.key_points]
    for title, items in (
        ("Key points", points),
        ("Tips", q.tips),
        ("Follow-up questions", q.follow_ups),
    ):
        if items:
            _out("")
            _out(f"{title}:")
            for item in items:
                _out(f"  - {item}")
    return 0


def cmd_questions_validate(args: argparse.Namespace) -> int:
    from voice_mock.bank import validate_path

    banks = validate_path(Path(args.path).expanduser(), thresholds=_settings().thresholds)
    for bank in banks:
        _out(f"OK: {len(bank.questions)} questions in {bank.id}")
    return 0


# --- model --------------------------------------------------------------------------


class ProgressBar:
    """A plain-text download bar on a stream.

    On a terminal it redraws one line with ``\\r``; elsewhere (CI logs, pipes)
    it prints a new line every 10%, so logs stay short and readable.
    """

    WIDTH = 30

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_step = -1
        self._drawn = False

    def __call__(self, done: int, total: int | None) -> None:
        mb = done / 1e6
        if total:
            fraction = min(1.0, done / total)
            step = int(fraction * 100) if self.tty else int(fraction * 10)
            if step == self._last_step:
                return
            self._last_step = step
            filled = round(fraction * self.WIDTH)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            text = f"{self.label} [{bar}] {fraction * 100:3.0f}% {mb:.1f}/{total / 1e6:.1f} MB"
        else:
            step = int(mb) if self.tty else int(mb // 5)
            if step == self._last_step:
                return
            self._last_step = step
            text = f"{self.label} {mb:.1f} MB"
        if self.tty:
            self.stream.write("\r" + text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self.tty and self._drawn:
            self.stream.write("\n")
            self.stream.flush()


def cmd_model_download(args: argparse.Namespace) -> int:
    from voice_mock.speech.models import DEFAULT_MODEL, download_model

    name = args.name or DEFAULT_MODEL
    bar = ProgressBar(f"Downloading {name}")
    try:
        path = download_model(
            name,
            Path(args.dest).expanduser() if args.dest else None,
            url=args.url,
            progress=bar,
        )
    finally:
        bar.close()
    _out(str(path))
    return 0


def cmd_model_list(args: argparse.Namespace) -> int:
    from voice_mock import config
    from voice_mock.speech.models import (
        MODEL_CATALOG,
        installed_models,
        model_dir_problem,
        model_search_order,
    )

    settings = _settings()
    models_dir = config.default_models_dir()
    installed = {p.name: p for p in installed_models(models_dir)}
    _out("Models voice-mock can download (voice-mock model download NAME):")
    width = max(len(name) for name in MODEL_CATALOG)
    for name, entry in MODEL_CATALOG.items():
        mark = "  [installed]" if name in installed else ""
        _out(
            f"  {name:<{width}}  {entry.approx_mb:>4} MB  WER {entry.wer_percent:.2f}%  "
            f"{entry.description}{mark}"
        )
    _out("")
    _out(f"Installed in {models_dir}:")
    if installed:
        for path in installed.values():
            _out(f"  {path.name}")
    else:
        _out("  (none)")
    _out("")
    _out("Search order (the first one set is used):")
    order = model_search_order(_explicit_model(args), settings)
    label_width = max(len(label) for label, _ in order)
    for n, (label, candidate) in enumerate(order, start=1):
        if candidate is None:
            state = "not set" if n < len(order) else f"no model in {models_dir}"
        else:
            problem = model_dir_problem(candidate)
            state = str(candidate) + (f"  (not a model: {problem})" if problem else "")
        _out(f"  {n}. {label:<{label_width}}  {state}")
    _out("")
    try:
        found = _find_model(args, settings)
    except UserError as exc:
        _out("In use: none")
        raise exc
    _out(f"In use: {found}" if found else "In use: none (run `voice-mock model download`)")
    return 0


def cmd_model_path(args: argparse.Namespace) -> int:
    from voice_mock.speech.models import model_missing_message

    found = _find_model(args, _settings())
    if found is None:
        raise UserError(model_missing_message())
    _out(str(found))
    return 0


# --- practice -----------------------------------------------------------------------


class _ConsoleListener:
    """Prints a practice turn's progress on stderr; the live text redraws one line on a TTY."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._partial = ""
        self._lock = threading.Lock()

    def _line(self, text: str) -> None:
        with self._lock:
            if self.tty and self._partial:
                self.stream.write("\n")
            self._partial = ""
            self.stream.write(text + "\n")
            self.stream.flush()

    def on_state(self, state: TurnState) -> None:
        messages = {
            "speaking": "Speaking the question...",
            "preparing": "Get ready...",
            "recording": "Recording: answer now. Press Enter (or Ctrl-C) to stop.",
            "transcribing": "Transcribing...",
            "analysing": "Analysing...",
            "skipped": "Stopped.",
        }
        text = messages.get(str(state))
        if text:
            self._line(text)

    def on_level(self, dbfs: float, speaking: bool, elapsed_s: float) -> None:
        return None

    def on_partial(self, text: str) -> None:
        with self._lock:
            if text == self._partial:
                return
            self._partial = text
            if self.tty:
                columns = max(20, shutil.get_terminal_size((100, 24)).columns - 3)
                shown = text if len(text) < columns else "..." + text[-(columns - 3) :]
                self.stream.write("\r\x1b[2K> " + shown)
            else:
                self.stream.write("> " + text + "\n")
            self.stream.flush()

    def on_message(self, text: str) -> None:
        self._line(text)


def _least_practised(library: Library, store: Store) -> Question:
    """The question answered the fewest times (ties: bank order), so practice rotates."""
    questions = library.questions()
    if not questions:
        raise UserError("The loaded question banks hold no questions.")
    return min(
        questions,
        key=lambda q: store.count(question_id=q.qualified_id, status="done"),
    )


def cmd_practice(args: argparse.Namespace) -> int:
    from voice_mock.audio.sources import SoundDeviceSource
    from voice_mock.practice import PracticeTurn, recover_unfinished
    from voice_mock.speech.tts import SilentSpeaker, Speaker, TtsSpeaker

    settings = _settings()
    library = _library(args, settings)
    model_path = _find_model(args, settings)
    store = _store(settings)
    phone = bool(args.phone or settings.phone_mode)
    chosen = library.find(args.question) if args.question else None  # bad ids fail first

    if model_path is not None and store.unfinished():
        _err("Finishing earlier answers that were not transcribed yet...")
    for item in recover_unfinished(store, settings, model_path):
        if item.status == "done":
            _err(f"Finished an interrupted session: {item.session_id}.")
        elif item.status == "failed":
            _err(f"Could not finish session {item.session_id}: {item.message}")

    question = chosen or _least_practised(library, store)
    if model_path is None:
        from voice_mock.speech.models import model_missing_message

        _err(f"{model_missing_message()} Your answer will be saved and transcribed later.")

    device = args.device if args.device is not None else settings.audio.input_device
    source = SoundDeviceSource(device, settings.audio.sample_rate)
    speaker: Speaker
    try:
        speaker = TtsSpeaker(settings, settings.audio.output_device)
    except UserError as exc:
        _err(f"{exc} The question is shown here instead of spoken.")
        speaker = SilentSpeaker()

    _out(f"Question ({question.qualified_id}): {question.text}")
    sys.stdout.flush()
    listener = _ConsoleListener()
    turn = PracticeTurn(
        question,
        settings=settings,
        store=store,
        model_path=model_path,
        source=source,
        speaker=speaker,
        phone=phone,
        listener=listener,
    )
    outcome: dict[str, Any] = {}
    finished = threading.Event()

    def run() -> None:
        try:
            outcome["result"] = turn.run()
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            finished.set()

    worker = threading.Thread(target=run, name="practice-turn", daemon=True)
    worker.start()
    _watch_enter(turn.stop)
    interrupts = 0
    # Poll with sleep rather than Thread.join: a join interrupted by Ctrl-C can leave
    # the thread reporting itself dead while it is still finishing the answer.
    while not finished.is_set():
        try:
            time.sleep(0.1)
        except KeyboardInterrupt:
            interrupts += 1
            if interrupts > 1:
                raise
            _err("Stopping...")
            turn.stop()
    if "error" in outcome:
        raise outcome["error"]
    result = outcome["result"]
    if result.report is not None:
        from voice_mock.analysis.report import format_report

        _out("")
        _out(format_report(result.report))
    if result.message:
        _err(result.message)
    if result.session_id:
        _err(f"Saved as session {result.session_id}.")
    elif interrupts:
        return EXIT_INTERRUPTED  # Ctrl-C before recording began: the user quit
    return 0


def _watch_enter(stop: Callable[[], None]) -> None:
    """Stop the turn when the user presses Enter; end of input (no terminal) is ignored."""
    stdin = sys.stdin
    if stdin is None or stdin.closed:
        return

    def watch() -> None:
        try:
            line = stdin.readline()
        except (OSError, ValueError):
            return
        if line:
            stop()

    threading.Thread(target=watch, name="practice-enter", daemon=True).start()


# --- devices, voices ------------------------------------------------------------------


def cmd_devices(args: argparse.Namespace) -> int:
    from voice_mock.audio.devices import list_devices

    devices = list_devices()
    if not devices:
        _out(
            "No audio devices were found: this machine has no sound card that PortAudio "
            "can use (or the sound server is not running)."
        )
        return 0
    _out("  #  in  out    rate  name")
    for d in devices:
        marks = []
        if d.is_default_in:
            marks.append("default input")
        if d.is_default_out:
            marks.append("default output")
        suffix = f"  ({', '.join(marks)})" if marks else ""
        _out(
            f"{d.index:>3}  {d.max_in:>2}  {d.max_out:>3}  {d.default_rate:>6.0f}  {d.name}{suffix}"
        )
    if not any(d.max_in > 0 for d in devices):
        _out("No input device (microphone) was found, so answers cannot be recorded.")
    return 0


def cmd_voices(args: argparse.Namespace) -> int:
    from voice_mock.speech.tts import list_voices

    voices = list_voices()
    if not voices:
        _out("The speech engine offers no voices.")
        return 0
    width = max(len(v.id) for v in voices)
    for v in voices:
        langs = f"  ({', '.join(v.languages)})" if v.languages else ""
        _out(f"{v.id:<{width}}  {v.name}{langs}")
    return 0


# --- history, export, reanalyze, delete ---------------------------------------------


def _record_dict(record: SessionRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "started_at": record.started_at.isoformat(),
        "question_id": record.qualified_question_id,
        "question_text": record.question_text,
        "category": record.category,
        "phone": record.phone,
        "status": record.status,
        "source": record.source,
        "duration_s": record.duration_s,
        "wpm": record.wpm,
        "fillers_per_min": record.fillers_per_min,
        "coverage_ratio": record.coverage_ratio,
        "pauses": record.pauses,
        "word_count": record.word_count,
        "folder": str(record.folder),
    }


def cmd_history(args: argparse.Namespace) -> int:
    store = _store(_settings())
    if args.limit is not None and args.limit <= 0:
        raise UserError("--limit must be a positive number.")
    records = store.list(
        question_id=args.question,
        search=args.search,
        since=args.since,
        status=args.status,
        order_by=args.order_by,
        descending=not args.ascending,
        limit=args.limit,
    )
    if args.json:
        _out(json.dumps([_record_dict(r) for r in records], indent=2, ensure_ascii=False))
        return 0
    if not records:
        _out("No saved sessions match." if store.count() else "No saved sessions yet.")
        return 0
    width = max(len(r.id) for r in records)
    _out(
        f"{'session':<{width}}  {'date':<16}  {'status':<13} {'length':>6} {'wpm':>4} "
        f"{'fill/m':>6} {'cover':>5}  question"
    )
    for r in records:
        when = r.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        cover = "-" if r.coverage_ratio is None else f"{r.coverage_ratio * 100:.0f}%"
        _out(
            f"{r.id:<{width}}  {when:<16}  {r.status:<13} {_fmt(r.duration_s, 's'):>6} "
            f"{_fmt(r.wpm, digits=0):>4} {_fmt(r.fillers_per_min):>6} {cover:>5}  "
            f"{r.question_text or '(free answer)'}"
        )
    total = store.count()
    if len(records) < total:
        _out(f"({len(records)} of {total} sessions shown)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    store = _store(_settings())
    if args.format == "json":
        text = json.dumps(store.export_json(args.id), indent=2, ensure_ascii=False) + "\n"
    else:
        text = store.export_markdown(args.id)
    if args.output:
        from voice_mock.fileio import atomic_write_text

        target = Path(args.output).expanduser()
        try:
            atomic_write_text(target, text)
        except OSError as exc:
            raise UserError(f"{target} could not be written: {exc.strerror or exc}.") from None
        _err(f"Wrote {target}.")
    else:
        sys.stdout.write(text)
    return 0


def cmd_reanalyze(args: argparse.Namespace) -> int:
    from voice_mock.pipeline import reanalyze_session

    settings = _settings()
    store = _store(settings)
    record = store.get(args.id)
    library = _library(args, settings) if record.question_id else None
    needs_model = args.retranscribe or record.status != "done"
    model_path = _find_model(args, settings) if needs_model else None
    updated, result = reanalyze_session(
        store,
        record.id,
        settings=settings,
        library=library,
        model_path=model_path,
        retranscribe=args.retranscribe,
    )
    if args.json:
        _out(json.dumps(result.report.to_dict(), indent=2, ensure_ascii=False))
    else:
        from voice_mock.analysis.report import format_report

        _out(format_report(result.report))
    _err(f"Updated session {updated.id}.")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    store = _store(_settings())
    record = store.get(args.id)
    store.delete(record.id)
    _err(f"Deleted session {record.id}.")
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    store = _store(_settings())
    count = store.rebuild_index()
    _out(f"Indexed {count} session{'' if count == 1 else 's'} from {store.root}.")
    return 0


# --- the parser -----------------------------------------------------------------------


def _add_questions(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--questions",
        action="append",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="add a question bank file or folder to the bundled ones (repeatable)",
    )


def _add_model(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="Vosk model folder (default: $VOICE_MOCK_MODEL, the config file, then models/)",
    )


def _device(value: str) -> int | str:
    value = value.strip()
    if not value:
        raise argparse.ArgumentTypeError("the device must be a number or part of its name")
    return int(value) if value.lstrip("-").isdigit() else value


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree; each leaf sets ``func`` to its handler."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Offline, voice-first mock-interview coach. "
        "Without a command, starts the Textual app.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _add_questions(parser)
    _add_model(parser)
    parser.set_defaults(func=cmd_app)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = commands.add_parser(
        "analyze",
        help="analyse a WAV/FLAC/OGG recording or a Vosk transcript JSON",
        description="Analyse a recording (WAV/FLAC/OGG, any rate) or a Vosk transcript JSON.",
    )
    p.add_argument("input", metavar="INPUT", help="recording or transcript JSON file")
    p.add_argument("--question", metavar="ID", help="question answered (ID or BANK/ID)")
    _add_questions(p)
    _add_model(p)
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--phone", action="store_true", help="judge it as a phone-interview answer")
    p.add_argument("--save", action="store_true", help="also save it as a session")
    p.set_defaults(func=cmd_analyze)

    p = commands.add_parser("questions", help="list, show or validate question banks")
    qs = p.add_subparsers(title="actions", metavar="ACTION", required=True)
    q = qs.add_parser("list", help="list the loaded questions")
    q.add_argument("--category", help="only this category (general, behavioral, ...)")
    _add_questions(q)
    q.set_defaults(func=cmd_questions_list)
    q = qs.add_parser("show", help="show one question with its key points and tips")
    q.add_argument("id", metavar="ID", help="question id or BANK/ID")
    _add_questions(q)
    q.set_defaults(func=cmd_questions_show)
    q = qs.add_parser("validate", help="check a bank file or folder")
    q.add_argument("path", metavar="PATH", help="bank TOML file or folder of them")
    q.set_defaults(func=cmd_questions_validate)

    p = commands.add_parser("model", help="download, list or locate Vosk speech models")
    ms = p.add_subparsers(title="actions", metavar="ACTION", required=True)
    m = ms.add_parser("download", help="download a model (default: the small English one)")
    m.add_argument("name", nargs="?", metavar="NAME", help="model name (see `model list`)")
    m.add_argument("--url", help="download from this zip URL instead of the official one")
    m.add_argument("--dest", metavar="DIR", help="install into this folder (default: models/)")
    m.set_defaults(func=cmd_model_download)
    m = ms.add_parser("list", help="the catalogue, installed models and the search order")
    _add_model(m)
    m.set_defaults(func=cmd_model_list)
    m = ms.add_parser("path", help="print the folder of the model that would be used")
    _add_model(m)
    m.set_defaults(func=cmd_model_path)

    p = commands.add_parser(
        "practice",
        help="one full turn without the app: speak, record, report",
        description="Speak a question, record your answer (Enter or Ctrl-C stops), "
        "show the report and save the session.",
    )
    p.add_argument("--question", metavar="ID", help="question (default: the least practised)")
    _add_questions(p)
    _add_model(p)
    p.add_argument("--phone", action="store_true", help="phone-interview mode")
    p.add_argument("--device", type=_device, metavar="N", help="input device number or name")
    p.set_defaults(func=cmd_practice)

    p = commands.add_parser("devices", help="list audio input and output devices")
    p.set_defaults(func=cmd_devices)
    p = commands.add_parser("voices", help="list text-to-speech voices")
    p.set_defaults(func=cmd_voices)

    from voice_mock.store import METRIC_COLUMNS, STATUSES  # sqlite3 only: cheap for --help

    p = commands.add_parser("history", help="list saved sessions")
    p.add_argument("--question", metavar="ID", help="only answers to this question")
    p.add_argument("--search", metavar="TEXT", help="question or transcript contains TEXT")
    p.add_argument("--since", metavar="DATE", help="only sessions from DATE (YYYY-MM-DD) on")
    p.add_argument("--status", choices=STATUSES, help="only this status")
    p.add_argument(
        "--order-by",
        default="started_at",
        choices=sorted(("started_at", *METRIC_COLUMNS)),
        help="sort column (default: started_at, newest first)",
    )
    p.add_argument("--ascending", action="store_true", help="smallest / oldest first")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N (default 20)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_history)

    p = commands.add_parser("export", help="export a saved session as Markdown or JSON")
    p.add_argument("id", metavar="ID", help="session id (or a unique part of it)")
    p.add_argument("--format", choices=["md", "json"], default="md")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=cmd_export)

    p = commands.add_parser("reanalyze", help="analyse a saved session again")
    p.add_argument("id", metavar="ID", help="session id (or a unique part of it)")
    p.add_argument("--retranscribe", action="store_true", help="transcribe the recording again too")
    _add_questions(p)
    _add_model(p)
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_reanalyze)

    p = commands.add_parser("delete", help="delete a saved session and its recording")
    p.add_argument("id", metavar="ID", help="session id (or a unique part of it)")
    p.set_defaults(func=cmd_delete)

    p = commands.add_parser("reindex", help="rebuild the session index from the session folders")
    p.set_defaults(func=cmd_reindex)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 ok, 2 bad input, 130 interrupted)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (already printed)
        return exc.code if isinstance(exc.code, int) else 2
    handler: Handler = args.func
    try:
        return handler(args)
    except UserError as exc:
        message = " ".join(str(exc).split())
        _err(f"{PROG}: {message}")
        return exc.exit_code
    except KeyboardInterrupt:
        _err("")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); silence Python's own complaint at exit.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
