"""Crafted inputs from the reliability report: odd audio, hostile transcripts, banks and zips.

Each maker writes one file (or folder) and returns its path, so a test case
is one line. Sessions are made through the real `Store`, as `analyze --save`
would make them, without paying for a child process each.
"""

from __future__ import annotations

import io
import json
import os
import random
import struct
import wave
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SHORT_KO = "안녕하세요 저는 고객의 말을 잘 듣습니다"
"""A short Korean answer (about 3 s of espeak-ng speech) for the real Korean Vosk model."""

ESC_TEXT = (
    "Hello \x1b]0;pwned\x07 \x1b[31mRED\x1b[0m \x1b[2J \x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\"
)
"""Terminal title (OSC 0), colour, clear screen and an OSC 8 hyperlink."""

BANK_ID = "e2e-bank"
QUESTION_ID = "q1"

THREE_WORDS = [
    {
        "text": "a b c",
        "result": [
            {"word": "a", "start": 0.1, "end": 0.5},
            {"word": "b", "start": 1.0, "end": 1.5},
            {"word": "c", "start": 3.0, "end": 3.5},
        ],
    }
]
"""The report's three-word transcript (t.json)."""


# --- audio -------------------------------------------------------------------------------


def wav_header(*, channels: int = 1, rate: int = 16000, bits: int = 16, frames: int = 0) -> bytes:
    """A canonical 44-byte PCM WAV header (any field may be absurd)."""
    block = channels * bits // 8
    data = frames * block
    return (
        b"RIFF"
        + struct.pack("<I", 36 + data)
        + b"WAVEfmt "
        + struct.pack(
            "<IHHIIHH", 16, 1, channels, rate, (rate * block) & 0xFFFFFFFF, block & 0xFFFF, bits
        )
        + b"data"
        + struct.pack("<I", data)
    )


def write_wav(path: Path, seconds: float, *, rate: int = 16000, tone: bool = True) -> Path:
    """A valid mono 16-bit WAV: a quiet tone (or silence)."""
    import math

    frames = round(seconds * rate)
    samples = (
        int(3000 * math.sin(2 * math.pi * 220 * i / rate)) if tone else 0 for i in range(frames)
    )
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return path


def odd_audio(folder: Path) -> dict[str, Path]:
    """Every odd audio input of the report (C1), by name."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    made: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        made[name] = folder / name
        made[name].write_bytes(data)

    put("corrupt.wav", bytes(rng.randrange(256) for _ in range(4096)))
    put("zero.wav", b"")
    put("header_only.wav", wav_header())
    put("chan0.wav", wav_header(channels=0) + bytes(3200))
    put("rate0.wav", wav_header(rate=0) + bytes(3200))
    put("chan65535.wav", wav_header(channels=65535, bits=16) + bytes(3200))
    put("brace.wav", b"{" + bytes(range(128, 256)) * 4)
    put("riff_garbage.wav", b"RIFF" + bytes(rng.randrange(256) for _ in range(2000)))
    made["short.wav"] = write_wav(folder / "short.wav", 0.05)
    made["dir.wav"] = folder / "dir.wav"
    made["dir.wav"].mkdir()
    made["loop.wav"] = folder / "loop.wav"
    made["loop.wav"].symlink_to(folder / "loop.wav")
    made["fifo.wav"] = folder / "fifo.wav"
    os.mkfifo(made["fifo.wav"])
    made["fifo.json"] = folder / "fifo.json"
    os.mkfifo(made["fifo.json"])
    raw = os.fsencode(folder) + b"/bad\xffname.wav"
    with open(raw, "wb") as handle:
        handle.write(bytes(rng.randrange(256) for _ in range(512)))
    return made


# --- transcripts ----------------------------------------------------------------------------


def hostile_transcripts(folder: Path) -> dict[str, Path]:
    """The report's malformed, deep and huge transcripts (C2), by name."""
    folder.mkdir(parents=True, exist_ok=True)
    texts: dict[str, str | bytes] = {
        "deep_list.json": "[" * 100_000 + "]" * 100_000,
        "deep_obj.json": '{"a":' * 100_000 + "1" + "}" * 100_000,
        "bigint.json": '{"result":[{"word":"hi","start":' + "1" * 5000 + ',"end":1}]}',
        "end_1e9.json": '{"result":[{"word":"hi","start":0,"end":1e9}]}',
        "start_1e18.json": '{"result":[{"word":"hi","start":1e18,"end":1.000000000001e18}]}',
        "nan.json": '{"result":[{"word":"hi","start":NaN,"end":1}]}',
        "inf.json": '{"result":[{"word":"hi","start":0,"end":1e999}]}',
        "negative.json": '{"result":[{"word":"hi","start":-1,"end":0.5}]}',
        "reversed.json": '{"result":[{"word":"hi","start":2,"end":1}]}',
        "truncated.json": '{"result":[{"word":"hi","sta',
        "bom.json": "\ufeff" + json.dumps(THREE_WORDS),
        "toplevel_string.json": '"just text"',
        "result_dict.json": '{"result":{"word":"hi"}}',
        "word_number.json": '{"result":[{"word":5,"start":0,"end":1}]}',
        "not_utf8.json": b"\xff\xfe{}",
        "empty.json": "",
    }
    made: dict[str, Path] = {}
    for name, text in texts.items():
        made[name] = folder / name
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        made[name].write_bytes(data)
    return made


def write_json(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def escape_transcript(path: Path) -> Path:
    """A transcript whose words carry escape sequences, BEL and a C1 CSI."""
    words = ["hello", "\x1b]0;pwned\x07", "\x1b[2J", "bell\x07", "csi\x9b31m", "end"]
    result = [
        {"word": w, "start": 0.5 + i * 0.6, "end": 0.9 + i * 0.6, "conf": 0.9}
        for i, w in enumerate(words)
    ]
    return write_json(path, [{"text": " ".join(words), "result": result}])


# --- banks --------------------------------------------------------------------------------


def toml_string(text: str) -> str:
    """A TOML basic string holding `text` exactly (control characters as escapes)."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def bank_toml(
    *,
    text: str = "How do you handle a complaint?",
    title: str = "E2E bank",
    tips: Sequence[str] = ("Name one concrete step.",),
    label: str = "Listen to the customer",
    target: str | None = None,
    extra: str = "",
) -> str:
    """One bank with one question; any field may be hostile."""
    lines = [
        "[bank]",
        f'id = "{BANK_ID}"',
        f"title = {toml_string(title)}",
        "",
        "[[questions]]",
        f'id = "{QUESTION_ID}"',
        f"text = {toml_string(text)}",
        'category = "scenario"',
        f"tips = [{', '.join(toml_string(t) for t in tips)}]",
    ]
    if target is not None:
        lines.append(f"target_seconds = {target}")
    lines += [
        extra,
        "",
        "[[questions.key_points]]",
        'id = "listening"',
        f"label = {toml_string(label)}",
        'cues = ["listen"]',
    ]
    return "\n".join(lines) + "\n"


def hostile_banks(folder: Path) -> dict[str, Path]:
    """The report's crafted banks (C3), by name."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = {
        "escape_text.toml": bank_toml(text=ESC_TEXT),
        "escape_title.toml": bank_toml(title="Bank \x1b]0;pwned\x07"),
        "escape_tip.toml": bank_toml(tips=["Tip \x1b[2J"]),
        "escape_label.toml": bank_toml(label="Label \x07"),
        "nul_text.toml": bank_toml(text="Question with a NUL \x00 in it"),
        "c1_text.toml": bank_toml(text="Question with a C1 CSI \x9b2J"),
        "target_nan.toml": bank_toml(target="[nan, 5]"),
        "target_nan2.toml": bank_toml(target="[1, nan]"),
        "target_inf.toml": bank_toml(target="[1, inf]"),
        "deep.toml": bank_toml() + "deep = " + "[" * 5000 + "]" * 5000 + "\n",
        "deep_inline.toml": "x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n",
        "long_text.toml": bank_toml(text="a" * 1_000_000),
    }
    made: dict[str, Path] = {}
    for name, text in texts.items():
        made[name] = folder / name
        made[name].write_text(text, encoding="utf-8")
    return made


# --- config.toml ------------------------------------------------------------------------


def write_config(home: Path, text: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- zips ------------------------------------------------------------------------------------

MODEL_FILES = {
    "am/final.mdl": b"fake acoustic model",
    "conf/mfcc.conf": b"--use-energy=false\n",
    "conf/model.conf": b"--min-active=200\n",
    "graph/HCLG.fst": b"fake graph",
    "README": b"a fake model for download tests\n",
}


def model_zip(top: str = "m") -> bytes:
    """A zip that unpacks to a folder with a model's layout (not a working model)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel, data in MODEL_FILES.items():
            zf.writestr(f"{top}/{rel}", data)
    return buffer.getvalue()


def encrypted(data: bytes) -> bytes:
    """`data` (a zip) with the "encrypted" flag set on every entry, local and central headers."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        central = zf.start_dir
    for info in infos:
        patched[info.header_offset + 6] |= 0x1
    for _ in infos:
        patched[central + 8] |= 0x1
        sizes = [
            int.from_bytes(patched[central + i : central + i + 2], "little") for i in (28, 30, 32)
        ]
        central += 46 + sum(sizes)
    return bytes(patched)


# --- sessions -------------------------------------------------------------------------------


def make_sessions(
    sessions_dir: Path,
    *,
    free: int = 1,
    questions: Sequence[str] = ("what-is-customer-service",),
    audio: Path | None = None,
) -> list[str]:
    """Saved, analysed sessions (as ``analyze t.json --save`` makes them); returns their ids.

    With `audio`, each session holds a copy of it as its recording (as practice leaves it).
    """
    import shutil

    from voice_mock.bank import load_library
    from voice_mock.coach.analysis import build_report
    from voice_mock.config import Settings
    from voice_mock.store import Store
    from voice_mock.transcript import Transcript

    settings = Settings()
    library = load_library([])
    transcript = Transcript.from_vosk(THREE_WORDS)
    ids: list[str] = []
    reports: dict[str | None, Any] = {}
    with Store(sessions_dir) as store:
        for ref in [None] * free + list(questions):
            question = library.find(ref) if ref else None
            if ref not in reports:
                reports[ref] = build_report(transcript, question, settings, None, False, None)
            report = reports[ref]
            draft = store.create(question=question, source="analyze")
            if audio is not None:
                shutil.copy(audio, draft.audio_path)
            store.finish(draft, transcript=transcript, report=report)
            ids.append(draft.id)
    return ids


def clone_sessions(sessions_dir: Path, count: int) -> list[str]:
    """`count` more sessions, copies of one made by `make_sessions`, then indexed once.

    Copying skips the fsync of every save, so hundreds of sessions take well
    under a second; each copy has its own id, folder and start time.
    """
    import shutil
    from datetime import UTC, datetime, timedelta

    from voice_mock.store import Store

    (model,) = make_sessions(sessions_dir, free=1, questions=())
    source = sessions_dir / model
    meta = json.loads((source / "session.json").read_text())
    start = datetime(2026, 1, 1, tzinfo=UTC)
    ids = [model]
    for n in range(count - 1):
        moment = start + timedelta(minutes=n)
        session_id = f"{moment:%Y%m%d-%H%M%S}-free-{n:06x}"
        folder = sessions_dir / session_id
        shutil.copytree(source, folder)
        meta.update(id=session_id, started_at=moment.isoformat(timespec="microseconds"))
        (folder / "session.json").write_text(json.dumps(meta))
        ids.append(session_id)
    with Store(sessions_dir) as store:
        store.rebuild_index()
    return ids
