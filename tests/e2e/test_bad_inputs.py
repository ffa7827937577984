"""Every bad input of the reliability report, through the real command in a child process.

The promise: a bad input ends with exit status 2 and one sentence on stderr,
with no traceback, no Python warning and no Kaldi/PortAudio/ALSA line; a
command that cannot hang does not hang. Some inputs are not bad but were
mishandled (a damaged index, a far-off date): those must simply work.

The cases run in parallel child processes (a module fixture starts them all
at once); each parametrised test then checks its own case's outcome.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pytest

from tests.support import crafted
from tests.support.cli import ROOT, Arg, Ran, failure_problem, one_sentence_problem, run
from tests.support.http_server import Served, serve
from voice_mock.store import INDEX_NAME
from voice_mock.store.index import INDEX_VERSION

Paths = dict[str, Path]
Setup = Callable[[Paths], None]
Check = Callable[[Ran, Paths], str | None]


@dataclass(frozen=True)
class Case:
    """One command of the report and what it must end with."""

    id: str
    args: tuple[Arg | Callable[[Paths], Arg], ...]
    """Arguments; ``{name}`` is filled from the case's paths, callables make bytes."""
    needles: tuple[str, ...] = ()
    """Words the one sentence must hold (the thing it is about)."""
    setup: Setup | None = None
    expect: Literal["fail", "ok"] = "fail"
    """"fail": exit 2 and one sentence; "ok": exit 0 and nothing alarming on stderr."""
    env: dict[str, str] = field(default_factory=dict)
    timeout: float = 45
    check: Check | None = None
    progress: str | None = None
    """Lines allowed before the sentence (a download's progress), as a regex."""


# --- setups ------------------------------------------------------------------------------


def config(text: str) -> Setup:
    def setup(p: Paths) -> None:
        crafted.write_config(p["home"], text)

    return setup


def sessions(p: Paths) -> None:
    crafted.make_sessions(p["home"] / "sessions", free=1)


def index_damage(kind: str) -> Setup:
    def setup(p: Paths) -> None:
        crafted.make_sessions(p["home"] / "sessions", free=2)
        index = p["home"] / "sessions" / INDEX_NAME
        for extra in ("-wal", "-shm"):
            Path(str(index) + extra).unlink(missing_ok=True)
        if kind == "garbage":
            index.write_bytes(os.urandom(20_000))
        elif kind == "truncated":
            index.write_bytes(index.read_bytes()[:3000])
        elif kind == "foreign":
            index.unlink()
            with sqlite3.connect(index) as db:
                db.execute("CREATE TABLE sessions (x TEXT, y INTEGER)")
                db.execute("INSERT INTO sessions VALUES ('a', 1)")
                db.execute(f"PRAGMA user_version = {INDEX_VERSION}")  # the version, not the table
        elif kind == "other_tables":
            index.unlink()
            with sqlite3.connect(index) as db:
                db.execute("CREATE TABLE notes (x TEXT)")
                db.execute(f"PRAGMA user_version = {INDEX_VERSION}")
        elif kind == "bad_rows":
            with sqlite3.connect(index) as db:
                db.execute("UPDATE sessions SET started_at = 'not-a-date'")
        elif kind == "folder":
            index.unlink()
            index.mkdir()

    return setup


def all_sessions_listed(ran: Ran, p: Paths) -> str | None:
    """`history --json` (run again) lists every session folder."""
    folders = {f.name for f in (p["home"] / "sessions").iterdir() if f.is_dir()} - {INDEX_NAME}
    if ran.args[0] == "history":
        listed = {row["id"] for row in json.loads(ran.stdout)}
    else:
        again = run("history", "--json", "--limit", "1000", home=p["home"])
        if again.returncode != 0:
            return f"history after reindex failed: {again.stderr!r}"
        listed = {row["id"] for row in json.loads(again.stdout)}
    missing = folders - listed
    return f"not listed: {sorted(missing)}" if missing else None


def nothing_deleted(ran: Ran, p: Paths) -> str | None:
    left = [f for f in (p["home"] / "sessions").iterdir() if f.is_dir()]
    return None if len(left) == 2 else f"{2 - len(left)} session(s) deleted"


def no_session_saved(ran: Ran, p: Paths) -> str | None:
    """A refused ``--save`` leaves no session folder behind (nor ``./5`` in the checkout)."""
    root = p["home"] / "sessions"
    made = [f.name for f in root.iterdir() if f.is_dir()] if root.exists() else []
    stray = [str(f) for f in (ROOT / "5", p["home"] / "5") if f.exists()]
    return f"left behind: {made + stray}" if made or stray else None


def no_download_leftovers(ran: Ran, p: Paths) -> str | None:
    dest = p["d"] / "models"
    left = sorted(x.name for x in dest.iterdir()) if dest.exists() else []
    return f"left in the models folder: {left}" if left else None


# --- the table ------------------------------------------------------------------------------


def bad_name(p: Paths) -> bytes:
    return os.fsencode(p["audio"]) + b"/bad\xffname.wav"


AUDIO = [
    Case(f"audio-{name}", ("analyze", f"{{audio}}/{name}"), (name,))
    for name in (
        *("corrupt.wav", "zero.wav", "chan0.wav", "brace.wav"),
        *("dir.wav", "loop.wav", "missing.wav"),
    )
]
AUDIO += [
    Case("audio-fifo", ("analyze", "{audio}/fifo.wav"), ("fifo.wav",), timeout=20),
    Case("audio-fifo-json", ("analyze", "{audio}/fifo.json"), ("fifo.json",), timeout=20),
    Case("audio-dev-zero", ("analyze", "/dev/zero"), ("/dev/zero",), timeout=20),
    Case("audio-non-utf8-name", ("analyze", bad_name), ("name.wav",)),
]

TRANSCRIPTS = [
    Case("transcript-deep-list", ("analyze", "{tx}/deep_list.json"), ("nested too deeply",)),
    Case("transcript-deep-obj", ("analyze", "{tx}/deep_obj.json"), ("nested too deeply",)),
    Case("transcript-5000-digits", ("analyze", "{tx}/bigint.json"), ("bigint.json",)),
    Case("transcript-end-1e9", ("analyze", "{tx}/end_1e9.json"), ("end_1e9.json",), timeout=30),
    Case("transcript-start-1e18", ("analyze", "{tx}/start_1e18.json"), ("start_1e18",), timeout=30),
    Case(
        "transcript-end-1e9-save",
        ("analyze", "{tx}/end_1e9.json", "--save"),
        ("end_1e9",),
        check=no_session_saved,
    ),
    Case("transcript-nan", ("analyze", "{tx}/nan.json"), ("impossible times",)),
    Case("transcript-truncated", ("analyze", "{tx}/truncated.json"), ("not valid JSON",)),
    Case("transcript-string", ("analyze", "{tx}/toplevel_string.json"), ("not a Vosk",)),
    Case("transcript-not-utf8", ("analyze", "{tx}/not_utf8.json"), ("not_utf8.json",)),
]

BANKS = [
    Case(f"bank-validate-{name}", ("questions", "validate", f"{{banks}}/{name}.toml"), needles)
    for name, needles in (
        ("escape_text", ("'text'", "control character")),
        ("escape_title", ("'title'", "control character")),
        ("escape_tip", ("'tips'", "control character")),
        ("escape_label", ("label", "control character")),
        ("nul_text", ("'text'", "U+0000")),
        ("c1_text", ("'text'", "U+009B")),
        ("target_nan", ("target_seconds",)),
        ("target_nan2", ("target_seconds",)),
        ("target_inf", ("target_seconds",)),
        ("deep", ("nested too deeply",)),
        ("deep_inline", ("nested too deeply",)),
        ("long_text", ("'text'", "characters long")),
    )
]
BANKS += [
    Case(
        f"bank-list-{name}", ("questions", "list", "--questions", f"{{banks}}/{name}.toml"), needles
    )
    for name, needles in (
        ("escape_text", ("control character",)),
        ("nul_text", ("U+0000",)),
        ("target_nan", ("target_seconds",)),
        ("long_text", ("characters long",)),
    )
]
BANKS.append(
    Case(
        "bank-show-escape_text",
        ("questions", "show", "e2e-bank/q1", "--questions", "{banks}/escape_text.toml"),
        ("control character",),
    )
)
BANKS += [
    Case(
        "bank-analyze-target-inf",
        ("analyze", "{t}", "--questions", "{banks}/target_inf.toml", "--question", "q1"),
        ("target_seconds",),
    ),
    Case("bank-practice-nul", ("practice", "--questions", "{banks}/nul_text.toml"), ("U+0000",)),
]


def cfg(name: str, text: str, *needles: str, command: tuple[str, ...] = ("history",)) -> Case:
    """A config.toml case: `text` in the config file, then `command` (saving nothing)."""
    return Case(f"config-{name}", command, needles, setup=config(text), check=no_session_saved)


def not_utf8_config(p: Paths) -> None:
    p["home"].mkdir(parents=True)
    (p["home"] / "config.toml").write_bytes(b"\xff\xfe")


def home_is_a_file(p: Paths) -> None:
    p["home"].write_text("x")


THRESHOLDS = "[thresholds]\n"
PRACTICE = ("practice",)
CONFIGS = [
    cfg("input-device-list", "[audio]\ninput_device = [1, 2]\n", "input_device", command=PRACTICE),
    cfg("input-device-dict", "[audio]\ninput_device = {a = 1}\n", "input_device", command=PRACTICE),
    cfg("input-device-negative", "[audio]\ninput_device = -3\n", "input_device", command=PRACTICE),
    cfg("voice-int", "[speech]\nvoice = 5\n", "voice", command=PRACTICE),
    cfg("model-path-int", "[speech]\nmodel_path = 5\n", "model_path", command=("model", "list")),
    cfg("model-path-int-analyze", "[speech]\nmodel_path = 5\n", "model_path",
        command=("analyze", "/dev/null")),
    cfg("phone-mode-str", 'phone_mode = "no"\n', "phone_mode"),
    cfg("recordings-dir-int", "recordings_dir = 5\n", "recordings_dir",
        command=("analyze", "{t}", "--save")),
    cfg("recordings-dir-list", "recordings_dir = [1, 2]\n", "recordings_dir"),
    cfg("pace-window-tiny", THRESHOLDS + "pace_window_s = 1e-9\n", "pace_window_s",
        command=("analyze", "{t}")),
    cfg("target-strings", THRESHOLDS + 'general_target_s = ["a", "b"]\n', "general_target_s"),
    cfg("target-string", THRESHOLDS + 'star_target_s = "60-120"\n', "star_target_s"),
    cfg("target-reversed", THRESHOLDS + "general_target_s = [120, 30]\n", "general_target_s"),
    cfg("rate-string", '[speech]\nrate = "fast"\n', "rate"),
    cfg("silence-negative", "[audio]\nsilence_stop_s = -1\n", "silence_stop_s"),
    cfg("max-answer-nan", "[audio]\nmax_answer_s = nan\n", "max_answer_s"),
    cfg("pace-band-crossed", THRESHOLDS + "wpm_target_low = 160\nwpm_target_high = 120\n",
        "wpm_target_low", "wpm_target_high"),
    cfg("pauses-crossed", THRESHOLDS + "pause_s = 2\nlong_pause_s = 1\n", "pause_s",
        "long_pause_s"),
    cfg("coverage-crossed", THRESHOLDS + "coverage_good_ratio = 0.2\n"
        "coverage_partial_ratio = 0.6\n", "coverage", command=("analyze", "{t}")),
    cfg("unknown-key", "[audio]\nsilence_stop = 3\n", "silence_stop"),
    cfg("deep", "x = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    cfg("control-text", '[speech]\nvoice = "a\\u001b[2Jb"\n', "voice"),
    Case("config-not-utf8", ("history",), ("config.toml",), setup=not_utf8_config),
    Case("config-home-is-a-file", ("history",), ("home",), setup=home_is_a_file),
]  # fmt: skip


def first_session(p: Paths) -> str:
    return sorted(f.name for f in (p["home"] / "sessions").iterdir() if f.is_dir())[0]


def session_case(name: str, args: tuple[Arg | Callable[[Paths], Arg], ...], *needles: str,
                 **options: object) -> Case:  # fmt: skip
    """A case run against a data folder holding two saved sessions."""
    return Case(f"id-{name}", args, needles, setup=sessions, **options)  # type: ignore[arg-type]


ESCAPE = "\x1b]0;pwned\x07"
IDS = [
    session_case("delete-r", ("delete", "r", "--yes"), "'r'", check=nothing_deleted),
    session_case("delete-what", ("delete", "what", "--yes"), "'what'", check=nothing_deleted),
    session_case("delete-ambiguous", ("delete", "2", "--yes"), "ambiguous"),
    session_case("delete-asks-first", ("delete", first_session), "--yes", check=nothing_deleted),
    session_case("delete-non-utf8", ("delete", b"bad\xff", "--yes"), "no saved session"),
    session_case("export-non-utf8", ("export", b"bad\xff"), "no saved session"),
    session_case("reanalyze-non-utf8", ("reanalyze", b"bad\xff"), "no saved session"),
    session_case("delete-escape", ("delete", ESCAPE, "--yes"), "no saved session"),
    session_case("export-escape", ("export", ESCAPE), "no saved session"),
    Case("id-limit-huge", ("history", "--limit", "99999999999999999999"), ("--limit",)),
    Case("id-limit-zero", ("history", "--limit", "0"), ("--limit",)),
    session_case("since-year-1-tokyo", ("history", "--since", "0001-01-01"), "0001-01-01",
                 env={"TZ": "Asia/Tokyo"}),
    session_case("since-year-9999-new-york", ("history", "--since", "9999-12-31T23:00"),
                 "9999-12-31T23:00", env={"TZ": "America/New_York"}),
    Case("id-since-escape", ("history", "--since", "\x1b[2J"), ("not a date",)),
    Case("id-question-escape", ("questions", "show", ESCAPE), ("no question",)),
    Case("id-missing-file-escape", ("analyze", "/tmp/\x1b[2J.json"), ("does not exist",)),
]  # fmt: skip

HISTORY_JSON = ("history", "--json", "--limit", "1000")
INDEX = [
    Case(f"index-{kind}-{args[0]}", args, expect="ok", setup=index_damage(kind),
         check=all_sessions_listed)
    for kind in ("garbage", "truncated", "foreign", "other_tables", "bad_rows", "folder")
    for args in (HISTORY_JSON, ("reindex",))
    if (kind, args[0]) != ("folder", "reindex")
]  # fmt: skip
INDEX.append(
    # A folder where the index belongs is not ours to remove: reindex says so (history works).
    Case("index-folder-reindex", ("reindex",), ("is a folder",), setup=index_damage("folder"))
)

DOWNLOAD_PROGRESS = r"Downloading \S+: \d+% of [\d.]+ MB|Downloading \S+: [\d.]+ MB"
LONG_NAME = "n" * 300
DOWNLOADS = [
    Case(
        f"download-{name}",
        ("model", "download", model, "--url", url, "--dest", "{d}/models"),
        needles,
        check=no_download_leftovers,
        progress=DOWNLOAD_PROGRESS,
    )
    for name, model, url, needles in (
        ("not-a-url", "testmodel", "not a url", ("not a url",)),
        ("bad-ipv6", "testmodel", "http://[::1", ("http://[::1",)),
        ("encrypted-zip", "testmodel", "{server}/encrypted.zip", ("encrypted",)),
        ("long-name", LONG_NAME, "{server}/good.zip", ("name",)),
        ("not-a-zip", "testmodel", "{server}/html", ("not a valid zip",)),
        ("404", "testmodel", "{server}/missing.zip", ("404",)),
        ("dotdot-name", "../x", "{server}/good.zip", ("../x",)),
    )
]

CASES = AUDIO + TRANSCRIPTS + BANKS + CONFIGS + IDS + INDEX + DOWNLOADS


# --- running them all ----------------------------------------------------------------------


def _format(arg: Arg | Callable[[Paths], Arg], paths: Paths, server: str) -> Arg:
    if callable(arg):
        return arg(paths)
    if not isinstance(arg, str):
        return arg
    values = {name: str(path) for name, path in paths.items()}
    return arg.format(server=server, **values) if "{" in arg else arg


@pytest.fixture(scope="module")
def outcomes(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, tuple[Ran, Paths]]]:
    base = tmp_path_factory.mktemp("bad-inputs")
    shared: Paths = {
        "audio": base / "audio",
        "tx": base / "tx",
        "banks": base / "banks",
    }
    crafted.odd_audio(shared["audio"])
    crafted.hostile_transcripts(shared["tx"])
    crafted.hostile_banks(shared["banks"])
    shared["t"] = crafted.write_json(base / "t.json", crafted.THREE_WORDS)
    with serve() as server, ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        server.files["/encrypted.zip"] = Served(crafted.encrypted(crafted.model_zip()))
        server.files["/good.zip"] = Served(crafted.model_zip())
        server.files["/html"] = Served(b"<html>not a zip</html>")
        base_url = server.url("")

        def one(case: Case) -> tuple[Ran, Paths]:
            paths = {**shared, "d": base / case.id, "home": base / case.id / "home"}
            paths["d"].mkdir(parents=True, exist_ok=True)
            if case.setup is not None:
                case.setup(paths)
            args = [_format(a, paths, base_url) for a in case.args]
            return run(*args, home=paths["home"], env=case.env, timeout=case.timeout), paths

        futures = {case.id: pool.submit(one, case) for case in CASES}
        results = {name: future.result() for name, future in futures.items()}
    yield results


def outcome_problem(case: Case, ran: Ran, paths: Paths) -> str | None:
    if case.expect == "fail":
        judged = ran
        if case.progress:
            lines = ran.stderr.splitlines()
            kept = [line for line in lines if not re.fullmatch(case.progress, line)]
            judged = Ran(ran.args, ran.returncode, ran.out, "\n".join(kept).encode())
        problem = failure_problem(judged, *case.needles)
    elif ran.timed_out or ran.returncode != 0:
        problem = f"exit status {ran.returncode}{' (hang)' if ran.timed_out else ''}, not 0"
    else:
        problem = None
        if "Traceback" in ran.stderr or (ran.stderr.strip() and one_sentence_problem(ran.stderr)):
            # A working command may say one thing on stderr (e.g. that it rebuilt the index).
            problem = f"stderr is not clean: {one_sentence_problem(ran.stderr)}"
    if problem is None and case.check is not None:
        problem = case.check(ran, paths)
    return problem


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, outcomes: dict[str, tuple[Ran, Paths]]) -> None:
    ran, paths = outcomes[case.id]
    problem = outcome_problem(case, ran, paths)
    assert problem is None, f"{case.id}: {problem}\n{ran.describe()}"


@pytest.mark.vosk
def test_a_model_that_loads_but_makes_no_recogniser(
    tmp_path: Path, ko_model_path: Path, espeak_ko: Callable[..., Path]
) -> None:
    """Report MEDIUM 10: an empty conf/mfcc.conf gave a traceback (and Kaldi's ERROR line)."""
    from tests.support.damaged_models import no_recogniser_model

    half = no_recogniser_model(ko_model_path, tmp_path / "half")
    ran = run("analyze", espeak_ko(crafted.SHORT_KO), "--model", half, home=tmp_path / "home")
    assert failure_problem(ran, "half") is None, ran.describe()
