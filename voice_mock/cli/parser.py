"""The whole command tree; each leaf sets ``func`` to its handler in `commands`."""

from __future__ import annotations

import argparse

from voice_mock import __version__
from voice_mock.cli import commands as c
from voice_mock.cli.output import PROG


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
    parser.set_defaults(func=c.cmd_app)
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
    p.set_defaults(func=c.cmd_analyze)

    p = commands.add_parser("questions", help="list, show or validate question banks")
    qs = p.add_subparsers(title="actions", metavar="ACTION", required=True)
    q = qs.add_parser("list", help="list the loaded questions")
    q.add_argument("--category", help="only this category (general, behavioral, ...)")
    _add_questions(q)
    q.set_defaults(func=c.cmd_questions_list)
    q = qs.add_parser("show", help="show one question with its key points and tips")
    q.add_argument("id", metavar="ID", help="question id or BANK/ID")
    q.add_argument(
        "--example", action="store_true", help="also show the example answer (spoils practice)"
    )
    _add_questions(q)
    q.set_defaults(func=c.cmd_questions_show)
    q = qs.add_parser("validate", help="check a bank file or folder")
    q.add_argument("path", metavar="PATH", help="bank TOML file or folder of them")
    q.set_defaults(func=c.cmd_questions_validate)

    p = commands.add_parser("model", help="download, list or locate Vosk speech models")
    ms = p.add_subparsers(title="actions", metavar="ACTION", required=True)
    m = ms.add_parser("download", help="download a model (default: the small English one)")
    m.add_argument("name", nargs="?", metavar="NAME", help="model name (see `model list`)")
    m.add_argument("--url", help="download from this zip URL instead of the official one")
    m.add_argument("--dest", metavar="DIR", help="install into this folder (default: models/)")
    m.set_defaults(func=c.cmd_model_download)
    m = ms.add_parser("list", help="the catalogue, installed models and the search order")
    _add_model(m)
    m.set_defaults(func=c.cmd_model_list)
    m = ms.add_parser("path", help="print the folder of the model that would be used")
    _add_model(m)
    m.set_defaults(func=c.cmd_model_path)

    p = commands.add_parser(
        "practice",
        help="one full turn without the app (or a mock interview): speak, record, report",
        description="Speak a question, record your answer (Enter or Ctrl-C stops; it also "
        "stops after the silence limit once you have spoken, 8 s by default), show the "
        "report and save the session. With --mock N: N questions of mixed categories in a "
        "row, with the interviewer's follow-ups, saved as one mock interview with a scorecard.",
    )
    p.add_argument("--question", metavar="ID", help="question (default: the least practised)")
    p.add_argument(
        "--mock",
        type=int,
        metavar="N",
        help="a mock interview of N questions of mixed categories (see history --mocks)",
    )
    p.add_argument(
        "--bank",
        metavar="ID",
        help="only this bank's questions (see questions list), e.g. --bank phone-screen",
    )
    _add_questions(p)
    _add_model(p)
    p.add_argument("--phone", action="store_true", help="phone-interview mode")
    p.add_argument("--device", type=_device, metavar="N", help="input device number or name")
    p.set_defaults(func=c.cmd_practice)

    from voice_mock.config import ENGINES  # tomllib and dataclasses only: cheap for --help

    p = commands.add_parser("devices", help="list audio input and output devices")
    p.add_argument(
        "--check", action="store_true", help="then check the microphone (as mic-check does)"
    )
    p.add_argument("--seconds", type=float, metavar="S", help="length of the check (default 5)")
    p.set_defaults(func=c.cmd_devices)
    p = commands.add_parser(
        "mic-check",
        help="say something: a level meter and a verdict (fine, too quiet, clipping)",
        description="Record a few seconds from the microphone answers use, measure the level "
        "and clipping, and judge them with your thresholds (quiet_dbfs, clipped_ratio_max). "
        "Exits 0 when fine, 1 when not.",
    )
    p.add_argument(
        "--seconds", type=float, metavar="S", help="record at most S seconds (default 5)"
    )
    p.add_argument("--device", type=_device, metavar="N", help="input device number or name")
    p.add_argument("--play", action="store_true", help="play the test back afterwards")
    p.set_defaults(func=c.cmd_mic_check)
    p = commands.add_parser(
        "voices",
        help="list the question voices, your language first (* = in use)",
        description="List the voices of a speech engine, your language (from the locale) "
        "first; the one in use is marked with *.",
    )
    p.add_argument("--engine", choices=ENGINES, help="whose voices (default: speech.engine)")
    p.set_defaults(func=c.cmd_voices)
    p = commands.add_parser(
        "voice",
        help="Piper's natural voices: list or download them",
        description="Piper (the optional extra voice-mock[piper], GPL-3.0) speaks questions "
        "with natural voices; each voice is a download of about 60 MB.",
    )
    vs = p.add_subparsers(title="actions", metavar="ACTION", required=True)
    v = vs.add_parser("list", help="installed Piper voices and the ones voice-mock can download")
    v.set_defaults(func=c.cmd_voice_list)
    v = vs.add_parser("download", help="download a Piper voice (default: en_US-lessac-medium)")
    v.add_argument("name", nargs="?", metavar="NAME", help="voice name (see `voice list`)")
    v.add_argument("--url", help="download the .onnx from this URL (its .onnx.json beside it)")
    v.add_argument("--dest", metavar="DIR", help="install into this folder (default: voices/)")
    v.set_defaults(func=c.cmd_voice_download)

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
    p.add_argument("--mocks", action="store_true", help="list mock interviews instead")
    p.add_argument(
        "--mock", metavar="ID", help="show one mock interview's scorecard (its id or the end of it)"
    )
    p.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="with --mock: write its scorecard and answers as one .md or .json document",
    )
    p.add_argument("--force", action="store_true", help="with --output: replace FILE")
    p.set_defaults(func=c.cmd_history)

    p = commands.add_parser(
        "export",
        help="export saved sessions as Markdown or JSON",
        description="Export one or more saved sessions (verdicts, advice, STAR, delivery and a "
        "timestamped transcript) into one document.",
    )
    p.add_argument("ids", nargs="+", metavar="ID", help="session id (or the start of one)")
    p.add_argument("--format", choices=["md", "json"], default=None, help="default: md")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE (or into a folder)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=c.cmd_export)

    p = commands.add_parser("reanalyze", help="analyse a saved session again")
    p.add_argument("id", metavar="ID", help="session id (or the start of one)")
    p.add_argument("--retranscribe", action="store_true", help="transcribe the recording again too")
    _add_questions(p)
    _add_model(p)
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=c.cmd_reanalyze)

    p = commands.add_parser(
        "delete",
        help="delete a saved session and its recording",
        description="Delete a saved session: its recording, transcript and report. Asks first.",
    )
    p.add_argument("id", metavar="ID", help="the session's full id, or the start of it")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=c.cmd_delete)

    p = commands.add_parser("reindex", help="rebuild the session index from the session folders")
    p.set_defaults(func=c.cmd_reindex)
    return parser
