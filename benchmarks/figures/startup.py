"""Figure 4: start-up, from launching Python to the app's first screen being mounted.

Each launch is a fresh ``python -c`` process (the interpreter start and every
import count, as for ``voice-mock``): it builds the app with
`voice_mock.tui.app.make_app` from the settings, the bundled questions, the
store and the model lookup, as ``run_app`` does, runs it headless with an auto-pilot that waits
until the first real screen is mounted and idle, prints the monotonic clock
(system-wide on Linux, so comparable with the parent's) and exits. Baselines,
launched the same way and interleaved: ``python -c "import textual"`` and a
minimal Textual app with one `Static`. The figure is for a user with a model
configured (``VOICE_MOCK_MODEL``), whose app starts loading Vosk in a worker
while the first screen comes up; launches with no model are reported too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.runner import Baseline, Context, Measurement, median

MARK = "BENCH-MARK"

IMPORT_TEXTUAL = f"import time, textual; print({MARK!r}, time.monotonic(), flush=True)"

PROBE = """
import asyncio, time
from textual.screen import Screen

async def _probe(pilot):
    app = pilot.app
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        await pilot.pause()
        screen = app.screen
        custom = type(screen) is not Screen
        if screen.is_mounted and (custom or len(screen.children) > 0):
            break
    print(%(mark)r, time.monotonic(), type(app.screen).__name__, flush=True)
    app.exit()

app.run(headless=True, size=(120, 40), auto_pilot=_probe)
"""

APP = (
    "from voice_mock.bank import load_library\n"
    "from voice_mock.coach import Coach\n"
    "from voice_mock.config import load_settings\n"
    "from voice_mock.speech.models import find_model\n"
    "from voice_mock.store import Store\n"
    "from voice_mock.tui.app import make_app\n"
    "settings = load_settings()\n"
    "app = make_app(Coach(settings, load_library(), Store(settings.sessions_dir()),\n"
    "                     model_path=find_model(None, settings)))\n" + PROBE % {"mark": MARK}
)

MINIMAL = (
    "from textual.app import App\nfrom textual.widgets import Static\n"
    "class Minimal(App):\n"
    "    def compose(self):\n"
    "        yield Static('hello')\n"
    "app = Minimal()\n" + PROBE % {"mark": MARK}
)


def launch(code: str, env: dict[str, str] | None = None, timeout: float = 60) -> tuple[float, str]:
    """Seconds from spawning ``python -c code`` to its mark line; and what it printed after."""
    began = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=str(Path(__file__).resolve().parents[2]),
        check=False,
    )
    for line in proc.stdout.splitlines():
        if line.startswith(MARK):
            parts = line.split()
            return float(parts[1]) - began, " ".join(parts[2:])
    raise RuntimeError(
        f"the probe printed no mark (exit {proc.returncode}): {proc.stderr.strip()[-600:]}"
    )


def run(ctx: Context) -> list[Measurement]:
    from benchmarks.speech import model_path

    runs = ctx.pick(3, 7)
    bare = {**os.environ, "VOICE_MOCK_HOME": str(ctx.work / "home" / "startup")}
    bare.pop("VOICE_MOCK_MODEL", None)
    Path(bare["VOICE_MOCK_HOME"]).mkdir(parents=True, exist_ok=True)
    # A user who has set up a model: the app starts loading it in a worker at once.
    env = {**bare, "VOICE_MOCK_MODEL": str(model_path())}
    # One unmeasured launch of each warms the OS file cache and writes .pyc files.
    launch(IMPORT_TEXTUAL, env)
    _, first_screen = launch(APP, env)
    launch(MINIMAL, env)
    app: list[float] = []
    no_model: list[float] = []
    textual: list[float] = []
    minimal: list[float] = []
    for _ in range(runs):
        textual.append(launch(IMPORT_TEXTUAL, env)[0])
        app.append(launch(APP, env)[0])
        minimal.append(launch(MINIMAL, env)[0])
        no_model.append(launch(APP, bare)[0])
    ctx.log(f"    first screen: {first_screen}")
    return [
        Measurement(
            key="startup_s",
            title="4. start-up to first screen",
            unit="s",
            runs=app,
            target=1.0,
            baseline=Baseline('python -c "import textual"', textual),
            notes=f"first screen {first_screen}, model configured (loads in a worker)",
            extra={
                "first_screen": first_screen,
                "minimal_textual_app_s": minimal,
                "no_model_configured_s": no_model,
                "no_model_median_s": median(no_model),
                "ratio_to_minimal_app": median(app) / median(minimal),
            },
        )
    ]
