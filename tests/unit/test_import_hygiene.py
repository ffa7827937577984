"""The core never imports Textual, and the CLI's help does not pay for heavy imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FRONTS = ("voice_mock.tui", "voice_mock.cli", "voice_mock.__main__")


def core_modules() -> list[str]:
    """Every module of the package except the two fronts (found, not listed by hand)."""
    import pkgutil

    import voice_mock

    found = [
        info.name
        for info in pkgutil.walk_packages(voice_mock.__path__, prefix="voice_mock.")
        if not info.name.startswith(FRONTS)
    ]
    assert "voice_mock.coach.coach" in found and "voice_mock.store.index" in found
    return found


CORE = core_modules()


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return set(out.stdout.split())


def test_core_does_not_import_textual() -> None:
    loaded = _modules_after("\n".join(f"import {m}" for m in CORE))
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


def test_core_source_has_no_textual_import() -> None:
    package = ROOT / "voice_mock"
    for path in package.rglob("*.py"):
        if path.relative_to(package).parts[0] in ("tui", "cli"):
            continue
        text = path.read_text(encoding="utf-8")
        assert "import textual" not in text and "from textual" not in text, path


def test_cli_module_is_light() -> None:
    loaded = _modules_after("import voice_mock.cli")
    heavy = {"vosk", "textual", "sounddevice", "scipy", "pyttsx3"}
    assert not heavy & loaded


def _imported_names(path: Path) -> set[str]:
    """Every module a file imports (``from a.b import c`` counts as ``a.b`` and ``a.b.c``)."""
    import ast

    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _is_test_module(name: str) -> bool:
    parts = name.split(".")
    return parts[0] == "tests" and (
        "conftest" in parts or any(part.startswith("test_") for part in parts[1:])
    )


def test_no_test_module_or_benchmark_imports_a_test_module() -> None:
    """Shared helpers live in tests/support; tests and benchmarks import only from there."""
    files = [*(ROOT / "tests").rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")]
    assert len(files) > 50
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in _imported_names(path) if _is_test_module(n))
        for path in files
    }
    assert {path: names for path, names in offenders.items() if names} == {}
