"""The generic download pieces: URL and name checks, fetch limits, safe unpacking, staging."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.http_server import FakeServer, Served, serve
from voice_mock.errors import UserError
from voice_mock.speech import download
from voice_mock.speech.download import (
    Staging,
    check_name,
    check_url,
    clean_leftovers,
    fetch,
    install_archive,
    safe_extract,
    shown,
)


@pytest.fixture(scope="module")
def http_server() -> Iterator[FakeServer]:
    with serve() as state:
        yield state


@pytest.fixture
def server(http_server: FakeServer) -> FakeServer:
    http_server.reset()
    return http_server


def a_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


# --- checks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://alphacephei.com/vosk/models/x.zip",
        "  http://127.0.0.1:8080/x.zip  ",
        "http://[::1]:8080/x.zip",
        "file:///tmp/model.zip",
        "data:application/zip;base64,UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==",
    ],
)
def test_accepted_urls(url: str) -> None:
    assert check_url(url) == url.strip()


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "",
        "http://[::1",
        "http://host:port/x",
        "https://",
        "mailto:me@example.com",
        "http://a b/x.zip",
        "http://host/\x1b[2J.zip",
    ],
)
def test_refused_urls(url: str) -> None:
    with pytest.raises(UserError) as info:
        check_url(url)
    message = str(info.value)
    assert message.endswith(".") and "\n" not in message and "\x1b" not in message


@pytest.mark.parametrize("name", ["vosk-model-small-en-us-0.15", "ko", "모델", "a.b", "x" * 200])
def test_accepted_names(name: str) -> None:
    check_name(name)


@pytest.mark.parametrize(
    "name",
    ["", ".", "..", ".hidden", "a/b", "a\\b", "tab\there", "nul\x00", "bad\udcff", "x" * 201],
)
def test_refused_names(name: str) -> None:
    with pytest.raises(UserError, match="voice name") as info:
        check_name(name, "voice")
    assert len(str(info.value)) < 200


def test_shown_escapes_and_shortens() -> None:
    assert shown("a\x1b]0;x\x07b") == "a\\x1b]0;x\\x07b"
    assert shown("bad\udcff") == "bad\\udcff"
    assert shown("n" * 100, limit=10) == "n" * 9 + "…"


# --- fetch ------------------------------------------------------------------------------


def test_fetch_reports_progress_on_the_callers_thread(server: FakeServer) -> None:
    body = bytes(range(256)) * 20
    server.files["/models/a.bin"] = Served(body)
    out = io.BytesIO()
    seen: list[tuple[int, int | None, str]] = []

    def progress(done: int, total: int | None) -> None:
        seen.append((done, total, threading.current_thread().name))

    assert fetch(server.base_url + "/a.bin", out, label="a", progress=progress) == len(body)
    assert out.getvalue() == body
    assert seen[0][:2] == (0, len(body)) and seen[-1][:2] == (len(body), len(body))
    assert {name for *_, name in seen} == {threading.current_thread().name}


def test_fetch_checks_sizes(server: FakeServer) -> None:
    server.files["/models/a.bin"] = Served(b"x" * 100)
    with pytest.raises(UserError, match="were expected"):
        fetch(server.base_url + "/a.bin", io.BytesIO(), label="a", expected_bytes=99)
    server.files["/models/b.bin"] = Served(b"x" * 100, declared_length=-1)
    with pytest.raises(UserError, match="larger than expected"):
        fetch(server.base_url + "/b.bin", io.BytesIO(), label="b", max_bytes=50)
    with pytest.raises(UserError, match="cut short: got 100 of 120 bytes"):
        fetch(server.base_url + "/b.bin", io.BytesIO(), label="b", expected_bytes=120)


def test_fetch_stalls_on_trickled_headers(server: FakeServer) -> None:
    server.files["/models/a.bin"] = Served(b"x", header_trickle_s=0.01)
    started = time.monotonic()
    with pytest.raises(UserError, match="stalled"):
        fetch(server.base_url + "/a.bin", io.BytesIO(), label="a", stall_s=0.3)
    assert time.monotonic() - started < 2


def test_a_cancel_from_progress_is_raised_and_stops_the_worker(server: FakeServer) -> None:
    server.files["/models/a.bin"] = Served(b"y" * 50_000, trickle_s=0.01, trickle_bytes=1000)

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int | None) -> None:
        if done:
            raise Cancelled

    def workers() -> list[threading.Thread]:
        return [t for t in threading.enumerate() if t.name == "download"]

    with pytest.raises(Cancelled):
        fetch(server.base_url + "/a.bin", io.BytesIO(), label="a", progress=cancel)
    deadline = time.monotonic() + 5
    while workers() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not workers()


def test_network_errors_are_sentences(server: FakeServer) -> None:
    with pytest.raises(UserError, match="HTTP 404"):
        fetch(server.base_url + "/missing", io.BytesIO(), label="a")
    with pytest.raises(UserError, match="Could not reach"):
        fetch("http://127.0.0.1:9/x.zip", io.BytesIO(), label="a")
    with pytest.raises(UserError, match="Could not reach"):
        fetch("file:///nonexistent/x.zip", io.BytesIO(), label="a")


# --- unpacking ---------------------------------------------------------------------------


def test_safe_extract_from_an_open_file(tmp_path: Path) -> None:
    handle = io.BytesIO(a_zip({"top/a.txt": b"hello", "top/sub/b.txt": b"world"}))
    handle.read()  # wherever the caller left it
    safe_extract(handle, tmp_path, source="test")
    assert (tmp_path / "top" / "sub" / "b.txt").read_bytes() == b"world"


def test_corrupt_compressed_data_is_a_sentence(tmp_path: Path) -> None:
    data = bytearray(a_zip({"a.txt": b"hello world " * 5000}))
    start = 30 + len("a.txt")  # the first entry's compressed data
    for i in range(start + 5, start + 40):
        data[i] ^= 0x55
    with pytest.raises(UserError, match=r"could not be unpacked|not a valid zip"):
        safe_extract(io.BytesIO(bytes(data)), tmp_path, source="test")


def test_implausible_size_is_refused(tmp_path: Path) -> None:
    handle = io.BytesIO(a_zip({"a.txt": b"0" * 1000}))
    with pytest.raises(UserError, match="implausible size"):
        safe_extract(handle, tmp_path, source="test", max_bytes=999)


# --- staging and leftovers -----------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty folder to download into (tmp_path also holds the isolated home)."""
    path = tmp_path / "downloads"
    path.mkdir()
    return path


def test_staging_removes_its_files_however_it_ends(folder: Path) -> None:
    with pytest.raises(KeyboardInterrupt), Staging(folder, "voice") as staging:
        staging.part.write(b"partial")
        (staging.unpack_dir() / "f").write_text("x")
        raise KeyboardInterrupt
    assert list(folder.iterdir()) == []


def test_staging_is_exclusive_per_name(folder: Path) -> None:
    with Staging(folder, "voice"):
        with pytest.raises(UserError, match="already being downloaded"):
            Staging(folder, "voice").__enter__()
        with Staging(folder, "other-voice"):  # another name may install beside it
            pass
        assert (folder / ".voice.part").exists()
    assert list(folder.iterdir()) == []


def test_clean_leftovers_reports_what_it_removed(folder: Path) -> None:
    (folder / ".a.part").write_bytes(b"x")
    (folder / ".a.unpack-12345678").mkdir()
    (folder / ".b.unpack-abcdefgh" / "deep").mkdir(parents=True)
    (folder / ".c.part").mkdir()  # a folder is never a part file of ours
    (folder / ".d.unpack-abcdefgh").mkdir()
    (folder / ".d.part").symlink_to(folder / "elsewhere")  # dangling: must not be created
    removed = clean_leftovers(folder)
    assert sorted(p.name for p in removed) == [
        ".a.part",
        ".a.unpack-12345678",
        ".b.unpack-abcdefgh",
        ".d.unpack-abcdefgh",
    ]
    assert sorted(p.name for p in folder.iterdir()) == [".c.part", ".d.part"]
    assert not (folder / "elsewhere").exists()


def test_install_archive_for_another_kind(tmp_path: Path, server: FakeServer) -> None:
    """What a voice downloader would do: its own layout check, its own word in messages."""
    server.files["/models/v.zip"] = Served(a_zip({"en-voice/voice.onnx": b"onnx"}))

    def find_root(unpacked: Path) -> Path:
        (root,) = unpacked.iterdir()
        if not (root / "voice.onnx").is_file():
            raise UserError("No voice in the archive.")
        return root

    path = install_archive(
        server.base_url + "/v.zip",
        tmp_path / "voices",
        "en-voice",
        find_root=find_root,
        is_installed=lambda p: (p / "voice.onnx").is_file(),
        kind="voice",
    )
    assert (path / "voice.onnx").read_bytes() == b"onnx"
    assert [p.name for p in (tmp_path / "voices").iterdir()] == ["en-voice"]
    with pytest.raises(UserError, match="not a valid voice name"):
        install_archive(
            server.base_url + "/v.zip",
            tmp_path,
            "../x",
            find_root=find_root,
            is_installed=lambda p: False,
            kind="voice",
        )


def test_limits_are_positive() -> None:
    assert download.DEFAULT_STALL_S < download.DEFAULT_DEADLINE_S
    with pytest.raises(ValueError):
        fetch("http://127.0.0.1:9/x", io.BytesIO(), label="a", stall_s=0)
