"""Model lookup order, model-folder checks, and safe downloads from a local HTTP server."""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.http_server import FakeServer, Served, serve
from tests.support.models import MODEL_FILES, make_model
from voice_mock import config
from voice_mock.config import Settings, SpeechSettings
from voice_mock.errors import UserError
from voice_mock.speech import models
from voice_mock.speech.models import (
    DEFAULT_MODEL,
    MODEL_CATALOG,
    download_model,
    find_model,
    installed_models,
    is_model_dir,
    model_dir_problem,
    model_missing_message,
    model_search_order,
)


def model_zip(top: str | None = "fake-model", extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        prefix = f"{top}/" if top else ""
        if top:
            zf.writestr(f"{top}/", b"")
        for rel, data in MODEL_FILES.items():
            zf.writestr(prefix + rel, data)
        for rel, data in (extra or {}).items():
            zf.writestr(rel, data)
    return buffer.getvalue()


def leftovers(dest: Path) -> list[str]:
    """Hidden partial files/folders a failed download must not leave behind."""
    return sorted(p.name for p in dest.iterdir() if p.name.startswith(".")) if dest.exists() else []


# --- is_model_dir --------------------------------------------------------------------


def test_real_korean_model_is_a_model(ko_model_path: Path) -> None:
    assert is_model_dir(ko_model_path)
    assert not is_model_dir(ko_model_path / "am")


def test_fake_layouts(tmp_path: Path) -> None:
    assert is_model_dir(make_model(tmp_path / "new"))
    old = tmp_path / "old"
    old.mkdir()
    for name in ("final.mdl", "mfcc.conf", "HCLG.fst", "words.txt"):
        (old / name).write_bytes(b"x")
    assert is_model_dir(old)


@pytest.mark.parametrize(
    ("remove", "expected"),
    [
        ("am/final.mdl", "am/final.mdl"),
        ("conf/mfcc.conf", "conf/mfcc.conf"),
        ("conf/model.conf", "conf/model.conf"),
        ("graph/Gr.fst", "HCLG.fst or HCLr.fst"),
    ],
)
def test_incomplete_model_names_whats_missing(tmp_path: Path, remove: str, expected: str) -> None:
    folder = make_model(tmp_path / "m")
    (folder / remove).unlink()
    problem = model_dir_problem(folder)
    assert problem is not None and expected in problem
    assert not is_model_dir(folder)


def test_not_a_folder(tmp_path: Path) -> None:
    file = tmp_path / "model.zip"
    file.write_bytes(b"PK")
    assert model_dir_problem(file) == "it is a file, not a model folder"
    assert model_dir_problem(tmp_path / "absent") == "the folder does not exist"


# --- lookup order ----------------------------------------------------------------------


@pytest.fixture
def models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "models"
    folder.mkdir()
    monkeypatch.setattr(config, "default_models_dir", lambda: folder)
    return folder


def test_order_explicit_env_config_folder(
    tmp_path: Path, models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    explicit = make_model(tmp_path / "explicit")
    env = make_model(tmp_path / "env")
    configured = make_model(tmp_path / "configured")
    in_folder = make_model(models_dir / "vosk-model-b")
    settings = Settings(speech=SpeechSettings(model_path=str(configured)))
    monkeypatch.setenv("VOICE_MOCK_MODEL", str(env))

    assert model_search_order(explicit, settings) == [
        ("--model", explicit),
        ("VOICE_MOCK_MODEL", env),
        ("config speech.model_path", configured),
        ("models folder", in_folder),
    ]
    assert find_model(explicit, settings) == explicit
    assert find_model(None, settings) == env
    monkeypatch.delenv("VOICE_MOCK_MODEL")
    assert find_model(None, settings) == configured
    assert find_model(None, Settings()) == in_folder


def test_models_folder_takes_first_by_name_and_skips_junk(models_dir: Path) -> None:
    make_model(models_dir / "vosk-model-z")
    make_model(models_dir / "vosk-model-a")
    make_model(models_dir / ".vosk-model-0.unpack-123")  # a download in progress
    (models_dir / "README.md").write_text("models live here")
    (models_dir / "0-not-a-model").mkdir()
    assert installed_models() == [models_dir / "vosk-model-a", models_dir / "vosk-model-z"]
    assert find_model(settings=Settings()) == models_dir / "vosk-model-a"


def test_nothing_anywhere_is_none(models_dir: Path) -> None:
    assert find_model(settings=Settings()) is None
    assert model_search_order(None, Settings()) == [
        ("--model", None),
        ("VOICE_MOCK_MODEL", None),
        ("config speech.model_path", None),
        ("models folder", None),
    ]


def test_settings_default_to_the_config_file(
    tmp_path: Path, models_dir: Path, isolated_home: Path
) -> None:
    configured = make_model(tmp_path / "from-config")
    config.save_settings(Settings(speech=SpeechSettings(model_path=str(configured))))
    assert find_model() == configured


def test_tilde_is_expanded(
    tmp_path: Path, models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    make_model(tmp_path / "my-model")
    assert find_model(Path("~/my-model"), Settings()) == tmp_path / "my-model"


@pytest.mark.parametrize("source", ["explicit", "env", "config"])
def test_named_non_model_is_an_error(
    tmp_path: Path, models_dir: Path, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    make_model(models_dir / "good")  # must not be used as a silent fallback
    bad = tmp_path / "not-a-model"
    bad.mkdir()
    (bad / "notes.txt").write_text("hello")
    explicit = bad if source == "explicit" else None
    settings = Settings(speech=SpeechSettings(model_path=str(bad) if source == "config" else None))
    if source == "env":
        monkeypatch.setenv("VOICE_MOCK_MODEL", str(bad))
    with pytest.raises(UserError) as info:
        find_model(explicit, settings)
    message = str(info.value)
    assert str(bad) in message and "am/final.mdl" in message


def test_missing_message_says_what_to_do(models_dir: Path) -> None:
    message = model_missing_message()
    assert "voice-mock model download" in message
    assert "--model" in message and "VOICE_MOCK_MODEL" in message
    assert str(models_dir) in message


def test_catalog() -> None:
    assert DEFAULT_MODEL == "vosk-model-small-en-us-0.15"
    small = MODEL_CATALOG["vosk-model-small-en-us-0.15"]
    big = MODEL_CATALOG["vosk-model-en-us-0.22-lgraph"]
    assert small.url == "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip"
    assert big.url == "https://alphacephei.com/vosk/models/vosk-model-en-us-0.22-lgraph.zip"
    assert (small.approx_mb, small.wer_percent) == (40, 9.85)
    assert (big.approx_mb, big.wer_percent) == (128, 7.82)


# --- downloads from a local server ------------------------------------------------------


@pytest.fixture(scope="module")
def http_server() -> Iterator[FakeServer]:
    """One local server per module (shutting one down costs half a second)."""
    with serve() as state:
        yield state


@pytest.fixture
def server(http_server: FakeServer) -> FakeServer:
    """The shared local server, with nothing served and no requests seen yet."""
    http_server.reset()
    return http_server


def test_download_installs_a_verified_model(tmp_path: Path, server: FakeServer) -> None:
    body = model_zip(top="fake-model")
    server.files["/models/fake-model.zip"] = Served(body)
    dest = tmp_path / "models"
    seen: list[tuple[int, int | None]] = []

    path = download_model(
        "fake-model", dest, base_url=server.base_url, progress=lambda d, t: seen.append((d, t))
    )

    assert path == dest / "fake-model" and is_model_dir(path)
    assert (path / "graph" / "phones" / "word_boundary.int").read_bytes() == b"1 nonword\n"
    assert leftovers(dest) == [] and sorted(p.name for p in dest.iterdir()) == ["fake-model"]
    assert seen[0] == (0, len(body)) and seen[-1] == (len(body), len(body))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    # already present: returns at once, no second request
    assert download_model("fake-model", dest, base_url=server.base_url) == path
    assert server.requests == ["/models/fake-model.zip"]


def test_download_default_dest_and_env_base_url(
    models_dir: Path, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.files[f"/models/{DEFAULT_MODEL}.zip"] = Served(model_zip(top=DEFAULT_MODEL))
    monkeypatch.setenv("VOICE_MOCK_MODEL_BASE_URL", server.base_url + "/")
    path = download_model()
    assert path == models_dir / DEFAULT_MODEL and is_model_dir(path)
    assert find_model(settings=Settings()) == path


def test_download_without_content_length(tmp_path: Path, server: FakeServer) -> None:
    server.files["/models/fake-model.zip"] = Served(model_zip(), declared_length=-1)
    seen: list[tuple[int, int | None]] = []
    path = download_model(
        "fake-model", tmp_path, base_url=server.base_url, progress=lambda d, t: seen.append((d, t))
    )
    assert is_model_dir(path)
    assert {t for _, t in seen} == {None}


def test_download_explicit_url_with_model_at_top(tmp_path: Path, server: FakeServer) -> None:
    server.files["/models/any.zip"] = Served(model_zip(top=None))
    path = download_model("flat", tmp_path, url=server.base_url + "/any.zip")
    assert path == tmp_path / "flat" and is_model_dir(path)
    assert leftovers(tmp_path) == []


def assert_failed_cleanly(dest: Path, name: str) -> None:
    assert not (dest / name).exists()
    assert leftovers(dest) == []


@pytest.mark.parametrize(
    "evil",
    ["../evil.txt", "fake-model/../../evil.txt", "/tmp/evil-voice-mock.txt", "C:/evil.txt"],
)
def test_zip_slip_is_rejected(tmp_path: Path, server: FakeServer, evil: str) -> None:
    server.files["/models/fake-model.zip"] = Served(model_zip(extra={evil: b"pwned"}))
    dest = tmp_path / "deep" / "models"
    with pytest.raises(UserError, match="unsafe path"):
        download_model("fake-model", dest, base_url=server.base_url)
    assert_failed_cleanly(dest, "fake-model")
    assert not (tmp_path / "deep" / "evil.txt").exists()
    assert not (tmp_path / "evil.txt").exists()


def test_symlink_entry_is_rejected(tmp_path: Path, server: FakeServer) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for rel, data in MODEL_FILES.items():
            zf.writestr(f"fake-model/{rel}", data)
        link = zipfile.ZipInfo("fake-model/escape")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc")
    server.files["/models/fake-model.zip"] = Served(buffer.getvalue())
    with pytest.raises(UserError, match="symbolic link"):
        download_model("fake-model", tmp_path, base_url=server.base_url)
    assert_failed_cleanly(tmp_path, "fake-model")


def test_truncated_download(tmp_path: Path, server: FakeServer) -> None:
    body = model_zip()
    server.files["/models/fake-model.zip"] = Served(body[:1000], declared_length=len(body))
    with pytest.raises(UserError, match=f"cut short: got 1000 of {len(body)} bytes"):
        download_model("fake-model", tmp_path, base_url=server.base_url)
    assert_failed_cleanly(tmp_path, "fake-model")


def test_catalogue_size_mismatch(
    tmp_path: Path, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = model_zip(top=DEFAULT_MODEL)
    entry = MODEL_CATALOG[DEFAULT_MODEL]
    from dataclasses import replace

    monkeypatch.setitem(MODEL_CATALOG, DEFAULT_MODEL, replace(entry, size_bytes=len(body) + 1))
    server.files[f"/models/{DEFAULT_MODEL}.zip"] = Served(body)
    with pytest.raises(UserError, match="were expected"):
        download_model(DEFAULT_MODEL, tmp_path, base_url=server.base_url)
    assert_failed_cleanly(tmp_path, DEFAULT_MODEL)


def test_http_404(tmp_path: Path, server: FakeServer) -> None:
    with pytest.raises(UserError, match="HTTP 404"):
        download_model("no-such-model", tmp_path, base_url=server.base_url)
    assert_failed_cleanly(tmp_path, "no-such-model")


def test_unreachable_server(tmp_path: Path, server: FakeServer) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(UserError, match="Could not reach"):
        download_model("fake-model", tmp_path, base_url=f"http://127.0.0.1:{port}")
    assert_failed_cleanly(tmp_path, "fake-model")


def test_not_a_zip(tmp_path: Path, server: FakeServer) -> None:
    server.files["/models/fake-model.zip"] = Served(b"<html>maintenance</html>")
    with pytest.raises(UserError, match="not a valid zip"):
        download_model("fake-model", tmp_path, base_url=server.base_url)
    assert_failed_cleanly(tmp_path, "fake-model")


def test_zip_without_a_model(tmp_path: Path, server: FakeServer) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("fake-model/README", b"just a readme")
    server.files["/models/fake-model.zip"] = Served(buffer.getvalue())
    with pytest.raises(UserError, match="does not hold a Vosk model"):
        download_model("fake-model", tmp_path, base_url=server.base_url)
    assert_failed_cleanly(tmp_path, "fake-model")


def test_existing_non_model_folder_is_not_overwritten(tmp_path: Path, server: FakeServer) -> None:
    (tmp_path / "fake-model").mkdir()
    (tmp_path / "fake-model" / "mine.txt").write_text("keep me")
    with pytest.raises(UserError, match="not a complete model"):
        download_model("fake-model", tmp_path, base_url=server.base_url)
    assert (tmp_path / "fake-model" / "mine.txt").read_text() == "keep me"
    assert server.requests == []


@pytest.mark.parametrize("name", ["../up", "a/b", ".hidden", ""])
def test_bad_names(tmp_path: Path, name: str) -> None:
    with pytest.raises(UserError, match="not a valid model name"):
        download_model(name, tmp_path, base_url="http://127.0.0.1:9")


def test_unknown_name_without_mirror(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Unknown model 'vosk-model-xx'"):
        download_model("vosk-model-xx", tmp_path / "models")
    assert not (tmp_path / "models").exists()


def test_progress_failure_cleans_up(tmp_path: Path, server: FakeServer) -> None:
    """Even an exception from the caller's progress callback (e.g. cancel) leaves nothing."""
    server.files["/models/fake-model.zip"] = Served(model_zip())

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int | None) -> None:
        if done:
            raise Cancelled

    with pytest.raises(Cancelled):
        download_model("fake-model", tmp_path, base_url=server.base_url, progress=cancel)
    assert_failed_cleanly(tmp_path, "fake-model")


def test_models_module_has_no_heavy_imports() -> None:
    assert "vosk" not in models.__dict__


# --- hostile input and limits (reliability report 2026-12-02) ------------------------


def one_sentence(message: str) -> None:
    assert message.endswith(".") and "\n" not in message and "Traceback" not in message


def mark_encrypted(data: bytes) -> bytes:
    """Set the "encrypted" flag of every entry, in the local and the central headers.

    zipfile cannot write encrypted archives; the flag is all a reader goes by
    before it asks for a password.
    """
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        central = zf.start_dir
    for info in infos:
        patched[info.header_offset + 6] |= 0x1
    for _ in infos:
        assert patched[central : central + 4] == b"PK\x01\x02"
        patched[central + 8] |= 0x1
        name_len, extra_len, comment_len = (
            int.from_bytes(patched[central + i : central + i + 2], "little") for i in (28, 30, 32)
        )
        central += 46 + name_len + extra_len + comment_len
    return bytes(patched)


def test_encrypted_archive_is_one_sentence(tmp_path: Path, server: FakeServer) -> None:
    server.files["/models/fake-model.zip"] = Served(mark_encrypted(model_zip()))
    with pytest.raises(UserError, match="password-protected") as info:
        download_model("fake-model", tmp_path, base_url=server.base_url)
    one_sentence(str(info.value))
    assert_failed_cleanly(tmp_path, "fake-model")


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("not a url", "is not a download address"),
        ("http://[::1", "is not a valid URL (Invalid IPv6 URL)"),
        ("http://127.0.0.1:99999/x.zip", "is not a valid URL"),
        ("http:///x.zip", "names no server"),
        ("javascript:alert(1)", "is not a download address"),
        ("http://127.0.0.1/a\nb.zip", "control codes"),
    ],
)
def test_bad_url_is_one_sentence(tmp_path: Path, url: str, says: str) -> None:
    dest = tmp_path / "models"
    with pytest.raises(UserError, match=re_escape(says)) as info:
        download_model("fake-model", dest, url=url)
    one_sentence(str(info.value))
    assert "\n" not in str(info.value)
    assert not dest.exists()


def re_escape(text: str) -> str:
    import re

    return re.escape(text)


def test_overlong_name_is_one_sentence(tmp_path: Path) -> None:
    name = "n" * 300
    dest = tmp_path / "models"
    with pytest.raises(UserError, match="too long for a model name") as info:
        download_model(name, dest, base_url="http://127.0.0.1:9")
    one_sentence(str(info.value))
    assert len(str(info.value)) < 200
    assert not dest.exists()


@pytest.mark.parametrize("name", ["bad\x1b]0;pwned\x07", "nul\x00", "bad\udcffname"])
def test_control_or_undecodable_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(UserError, match="not a valid model name") as info:
        download_model(name, tmp_path, base_url="http://127.0.0.1:9")
    assert "\x1b" not in str(info.value) and "\x00" not in str(info.value)


def big_model_zip(extra_bytes: int) -> bytes:
    """A model zip padded with incompressible bytes, so sending it takes a while."""
    import os as _os

    return model_zip(extra={"fake-model/padding.bin": _os.urandom(extra_bytes)})


def test_trickling_body_stalls(tmp_path: Path, server: FakeServer) -> None:
    """1 byte every 20 ms never ends on its own: the stall limit ends it, in one sentence."""
    import time

    server.files["/models/fake-model.zip"] = Served(model_zip(), trickle_s=0.02)
    started = time.monotonic()
    with pytest.raises(UserError, match=r"stalled: less than 1024 bytes arrived in 0\.5 s") as info:
        download_model("fake-model", tmp_path, base_url=server.base_url, stall_s=0.5)
    assert time.monotonic() - started < 3
    one_sentence(str(info.value))
    assert_failed_cleanly(tmp_path, "fake-model")


def test_slow_download_hits_the_deadline(tmp_path: Path, server: FakeServer) -> None:
    """Steady but slow (5 KB/s for 40 KB): never stalled, stopped by the overall deadline."""
    import time

    server.files["/models/fake-model.zip"] = Served(
        big_model_zip(40_000), trickle_s=0.05, trickle_bytes=256
    )
    started = time.monotonic()
    with pytest.raises(UserError, match=r"did not finish within 1 s") as info:
        download_model(
            "fake-model", tmp_path, base_url=server.base_url, deadline_s=1.0, stall_s=5.0
        )
    assert time.monotonic() - started < 2.5
    one_sentence(str(info.value))
    assert_failed_cleanly(tmp_path, "fake-model")


def test_trickled_headers_hit_the_deadline(tmp_path: Path, server: FakeServer) -> None:
    """A server trickling its status line keeps urllib inside urlopen; the deadline still holds."""
    import time

    server.files["/models/fake-model.zip"] = Served(model_zip(), header_trickle_s=0.01)
    started = time.monotonic()
    with pytest.raises(UserError, match="did not finish within 1 s"):
        download_model(
            "fake-model", tmp_path, base_url=server.base_url, deadline_s=1.0, stall_s=30.0
        )
    assert time.monotonic() - started < 2.5
    assert_failed_cleanly(tmp_path, "fake-model")


def test_leftovers_of_a_killed_download_are_removed_and_nothing_else(
    tmp_path: Path, server: FakeServer
) -> None:
    dest = tmp_path / "models"
    dest.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep")
    ours = [
        dest / ".fake-model.part",
        dest / ".fake-model.unpack-ab12cd_9",
        dest / ".other-model.part",
        dest / ".other-model.unpack-zzzzzzzz",
    ]
    ours[0].write_bytes(b"PK half a zip")
    make_model(ours[1] / "fake-model")
    ours[2].write_bytes(b"PK")
    (ours[3] / "m").mkdir(parents=True)
    foreign = [
        dest / ".keep-me",
        dest / ".fake-model.partial",
        dest / ".fake-model.unpack-mine",  # not mkdtemp's suffix
        dest / "notes.part",  # not hidden
        dest / ".settings.d",
        dest / ".part",
    ]
    for path in foreign:
        if path.suffix == ".d":
            path.mkdir()
        else:
            path.write_text("not voice-mock's")
    link = dest / ".linked.unpack-abcdefgh"
    link.symlink_to(outside, target_is_directory=True)

    server.files["/models/fake-model.zip"] = Served(model_zip())
    path = download_model("fake-model", dest, base_url=server.base_url)

    assert is_model_dir(path)
    assert not any(p.exists() for p in ours)
    assert all(p.exists() for p in foreign)
    assert link.is_symlink() and (outside / "precious.txt").read_text() == "keep"


def test_a_live_download_is_left_alone(tmp_path: Path, server: FakeServer) -> None:
    """Another process downloading the same model holds its part file: refuse, touch nothing."""
    import fcntl
    import os as _os

    part = tmp_path / ".fake-model.part"
    unpack = tmp_path / ".fake-model.unpack-live1234"
    unpack.mkdir()
    fd = _os.open(part, _os.O_RDWR | _os.O_CREAT, 0o600)
    try:
        _os.write(fd, b"PK in progress")
        fcntl.flock(fd, fcntl.LOCK_EX)
        server.files["/models/fake-model.zip"] = Served(model_zip())
        with pytest.raises(UserError, match="already being downloaded") as info:
            download_model("fake-model", tmp_path, base_url=server.base_url)
        one_sentence(str(info.value))
        assert part.read_bytes() == b"PK in progress" and unpack.is_dir()
        assert server.requests == []
    finally:
        _os.close(fd)
    # once that process is gone, the next download cleans up and installs
    assert is_model_dir(download_model("fake-model", tmp_path, base_url=server.base_url))
    assert leftovers(tmp_path) == []


def test_asking_for_an_installed_model_still_cleans_up(tmp_path: Path, server: FakeServer) -> None:
    make_model(tmp_path / "fake-model")
    (tmp_path / ".other.part").write_bytes(b"PK")
    (tmp_path / ".other.unpack-a1b2c3d4").mkdir()
    assert (
        download_model("fake-model", tmp_path, base_url=server.base_url) == tmp_path / "fake-model"
    )
    assert leftovers(tmp_path) == [] and server.requests == []


def test_sigkill_mid_download_then_next_download_cleans_up(
    tmp_path: Path, server: FakeServer
) -> None:
    """The report's case: a download killed with SIGKILL leaves its hidden files; the next
    download into that folder removes them."""
    import os as _os
    import signal
    import subprocess
    import sys
    import time

    server.files["/models/slow.zip"] = Served(
        big_model_zip(50_000), trickle_s=0.05, trickle_bytes=2048
    )
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from voice_mock.speech.models import download_model\n"
        "download_model('fake-model', Path(sys.argv[1]), url=sys.argv[2])\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path), server.url("/models/slow.zip")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    part = tmp_path / ".fake-model.part"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (part.exists() and part.stat().st_size > 0):
            time.sleep(0.05)
        assert part.exists(), "the child never started downloading"
    finally:
        _os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    assert leftovers(tmp_path) == [".fake-model.part"]

    server.files["/models/fake-model.zip"] = Served(model_zip())
    assert is_model_dir(download_model("fake-model", tmp_path, base_url=server.base_url))
    assert leftovers(tmp_path) == []
