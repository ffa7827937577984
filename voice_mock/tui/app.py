"""The Textual app: thin. It holds the `Coach` and the model's state, and chooses the first screen.

Start-up shows the home screen at once; the Vosk model is found and loaded
in a background worker (importing vosk alone takes a while), and unfinished
answers from a crash are finished once it is ready. Those slow jobs start
only after the home screen has been painted and the UI has gone quiet: vosk's
import and model load hold the GIL, and started alongside the first screen
they made it appear about three times later.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.worker import Worker, WorkerCancelled, WorkerFailed, WorkerState

from voice_mock.bank import Library, Question
from voice_mock.coach import Coach, ModelState, Services
from voice_mock.config import Settings
from voice_mock.render.safe import visible
from voice_mock.store import Store
from voice_mock.tui.commands import palette_commands
from voice_mock.tui.messages import DownloadProgress, ModelStatus

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.widget import AwaitMount


QUIET_SLICE_S = 0.02
"""Length of one sample of the process's CPU use while waiting for the UI to go quiet."""
QUIET_CPU_SHARE = 0.1
"""A slice counts as quiet when the process used less than this share of it on the CPU."""
QUIET_SLICES = 3
"""Quiet slices in a row that mean the first screen is done and the user sees it."""
QUIET_LIMIT_S = 1.0
"""Start the slow jobs after this long even if the UI never goes quiet (a busy machine)."""


async def wait_until_quiet(
    slice_s: float = QUIET_SLICE_S,
    cpu_share: float = QUIET_CPU_SHARE,
    slices: int = QUIET_SLICES,
    limit_s: float = QUIET_LIMIT_S,
) -> bool:
    """Wait until this process has been nearly idle for `slices` slices in a row, or `limit_s`.

    Process CPU time counts every thread, so this also waits for layout,
    paint and any other start-up work to finish. True if it went quiet.
    """
    deadline = time.monotonic() + limit_s
    quiet = 0
    while quiet < slices:
        if time.monotonic() >= deadline:
            return False
        cpu = time.process_time()
        await asyncio.sleep(slice_s)
        quiet = quiet + 1 if time.process_time() - cpu < slice_s * cpu_share else 0
    return True


class VoiceMockApp(App[int]):
    """Shared state (settings, library, store, model) for the screens."""

    CSS_PATH = "app.tcss"
    TITLE = "voice-mock"
    SUB_TITLE = "practise answers aloud"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012
    """Below 100 columns the review gives its measures more room than the transcript."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", tooltip="Every key on this screen"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    model_state: reactive[ModelState] = reactive(ModelState.LOADING)
    model_detail: reactive[str] = reactive("")
    input_label: reactive[str] = reactive("")
    phone_mode: reactive[bool] = reactive(False)

    def __init__(self, coach: Coach) -> None:
        super().__init__()
        self.coach = coach
        self.background_started: float | None = None
        """When (monotonic) the model load and device check were started; None until then."""
        self.set_reactive(VoiceMockApp.phone_mode, coach.settings.phone_mode)

    # The coach owns these; screens read them through the app for brevity.
    @property
    def settings(self) -> Settings:
        return self.coach.settings

    @property
    def library(self) -> Library:
        return self.coach.library

    @property
    def store(self) -> Store:
        return self.coach.store

    @property
    def services(self) -> Services:
        return self.coach.services

    @property
    def model_path(self) -> Path | None:
        return self.coach.model_path

    def notify(self, message: str, *args: Any, **kwargs: Any) -> None:
        """Every notice shows its text as written: control characters made visible, and no
        markup parsing (a data folder named ``a[/]b`` once crashed the app here)."""
        kwargs["markup"] = False
        if "title" in kwargs and isinstance(kwargs["title"], str):
            kwargs["title"] = visible(kwargs["title"])
        super().notify(visible(message, multiline=True), *args, **kwargs)

    def on_mount(self) -> None:
        from voice_mock.tui.screens.home import HomeScreen

        home = HomeScreen()
        mounted = self.push_screen(home)
        self.run_worker(
            self.start_background(home, mounted),
            name="start-up",
            group="startup",
            exit_on_error=False,
        )

    async def start_background(self, home: Screen[Any], mounted: AwaitMount) -> None:
        """Load the model and check the microphone once `home` is on screen and the UI is quiet.

        Both jobs import native libraries (vosk, PortAudio) that hold the GIL;
        run during the first screen's compose they starve its paint. The two
        refreshes let the screen lay out, paint, and paint again for widgets
        that size themselves to their content. This worker ends only when both
        jobs have, so `app.workers.wait_for_complete()` still covers them;
        their failures are reported by `worker_changed`, not here.
        """
        await mounted
        for _ in range(2):
            await home.wait_for_refresh()
        await wait_until_quiet()
        self.background_started = time.monotonic()
        jobs = [self.check_input()]
        downloading = any(worker.group == "download" for worker in self.workers)
        if self.model_state == ModelState.LOADING and not downloading:  # a download loads it
            jobs.append(self.load_model())
        for job in jobs:
            with contextlib.suppress(WorkerFailed, WorkerCancelled):
                await job.wait()

    # --- shared services -------------------------------------------------------------------

    def usable_model_path(self) -> Path | None:
        """The model for a new answer (a still-loading model is waited for by the recogniser)."""
        if self.model_state in (ModelState.READY, ModelState.LOADING):
            return self.model_path
        return None

    def apply_settings(self, settings: Settings) -> None:
        """Use newly saved settings (the coach swaps the store when the folder changed)."""
        device_changed = self.coach.apply_settings(settings)
        self.phone_mode = settings.phone_mode
        if device_changed:
            self.check_input()

    def start_practice(self, questions: list[Question], *, mock: bool = False) -> None:
        from voice_mock.tui.screens.practice import PracticeScreen

        self.push_screen(PracticeScreen(questions, mock=mock))

    # --- background work ------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="model")
    def load_model(self) -> None:
        """Find and load the model, say whether it fits English, then finish earlier answers."""
        coach = self.coach
        path = coach.find_model()
        if path is None:
            self.post_message(ModelStatus(ModelState.MISSING))
            self.recover(None)
            return
        self.post_message(ModelStatus(ModelState.LOADING, path))
        model = coach.load_model(path)
        self.post_message(ModelStatus(ModelState.READY, path, path.name))
        from voice_mock.speech.fitness import check_model

        if hasattr(model, "vosk_model_find_word"):
            for line in check_model(model).messages():
                self.call_from_thread(
                    self.notify, line, title="Speech model", severity="warning", timeout=15
                )
        self.recover(path)

    def recover(self, path: Path | None) -> None:
        """Finish answers a crash left, and transcribe those saved without a model."""
        recovered = self.coach.recover_unfinished(path)
        done = sum(1 for item in recovered if item.status == "done")
        if done:
            self.call_from_thread(
                self.notify,
                f"{done} earlier answer{'' if done == 1 else 's'} "
                f"{'was' if done == 1 else 'were'} transcribed and analysed.",
            )
        failed = [item for item in recovered if item.status == "failed"]
        for item in failed[:3]:
            self.call_from_thread(
                self.notify,
                f"Session {item.session_id} could not be finished: {item.message}",
                severity="warning",
                timeout=12,
            )

    @work(thread=True, exclusive=True, exit_on_error=False, group="download")
    def download(self) -> None:
        self.post_message(ModelStatus(ModelState.DOWNLOADING, detail="starting…"))

        def progress(done: int, total: int | None) -> None:
            self.post_message(DownloadProgress(done, total))

        path = self.services.download_model(progress)
        self.coach.model_path = path
        self.call_from_thread(self.notify, f"The speech model is installed in {path}.")
        self.call_from_thread(self.load_model)

    @work(thread=True, exclusive=True, exit_on_error=False, group="devices")
    def check_input(self) -> None:
        """Name the input device on the home screen: the one the recorder will open."""
        chosen = self.coach.input_device()
        self.call_from_thread(setattr, self, "input_label", visible(chosen.name))

    @on(ModelStatus)
    def model_status(self, message: ModelStatus) -> None:
        if message.path is not None:
            self.coach.model_path = message.path
        self.model_state = message.state
        self.model_detail = message.detail

    @on(DownloadProgress)
    def download_progress(self, message: DownloadProgress) -> None:
        if message.total:
            self.model_detail = (
                f"{message.done * 100 // message.total}% of {message.total >> 20} MB"
            )
        else:
            self.model_detail = f"{message.done >> 20} MB"

    @on(Worker.StateChanged)
    def worker_changed(self, event: Worker.StateChanged) -> None:
        """Failures of the app's own workers become notices, never tracebacks."""
        worker = event.worker
        if event.state != WorkerState.ERROR or worker.group not in ("model", "download", "devices"):
            return
        from voice_mock.tui.screens.base import failure_text

        text = failure_text(worker.error)
        if worker.group == "devices":
            self.input_label = "none found"
            self.notify(text, title="No microphone", severity="warning", timeout=10)
            return
        self.model_state = ModelState.FAILED if self.model_path else ModelState.MISSING
        self.model_detail = ""
        title = "Model download failed" if worker.group == "download" else "Speech model"
        self.notify(text, title=title, severity="error", timeout=12)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette: `screen`'s and the app's bindings, the other app actions
        (`commands.APP_ACTIONS`) and Textual's own commands (theme, keys, quit)."""
        return palette_commands(self, screen, super().get_system_commands(screen))

    # --- actions ------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit, unless a screen would lose the user's work: its `confirm_quit()` then asks
        first (the practice screen, while an answer is being recorded)."""
        for screen in reversed(self.screen_stack):
            confirm = getattr(screen, "confirm_quit", None)
            if callable(confirm) and confirm():
                return
        self.exit()

    def action_help(self) -> None:
        from voice_mock.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def _home(self) -> None:
        from voice_mock.tui.screens.home import HomeScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    def action_home(self) -> None:
        self._home()

    def action_history(self) -> None:
        from voice_mock.tui.screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    def action_settings(self) -> None:
        from voice_mock.tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def action_download_model(self) -> None:
        if self.model_state == ModelState.READY:
            self.notify(f"A speech model is already in use: {self.model_path}.")
            return
        if self.model_state == ModelState.DOWNLOADING:
            return
        self.download()

    def action_toggle_phone(self) -> None:
        self.phone_mode = not self.phone_mode
        self.notify(f"Phone mode {'on' if self.phone_mode else 'off'}.", timeout=3)

    def action_random(self) -> None:
        import random

        questions = self.library.questions()
        if questions:
            self._home()
            self.start_practice([random.choice(questions)])

    def action_mock(self) -> None:
        import random

        questions = self.library.questions()
        if questions:
            self._home()
            self.start_practice(random.sample(questions, min(3, len(questions))), mock=True)


def make_app(coach: Coach) -> VoiceMockApp:
    """Build the app around a coach; tests pass one with fake services and a temporary store."""
    return VoiceMockApp(coach)


def run_app(coach: Coach) -> int:
    """Run the app in this terminal (the CLI's default command); returns the exit status."""
    try:
        result = make_app(coach).run()
    finally:
        coach.store.close()
    return result if isinstance(result, int) else 0
