"""Settings: devices, voice and rate, silence stop, thresholds, data folder; saved to config.toml.

Device and voice lists come from slow calls (PortAudio, pyttsx3), so they
fill in from a worker; the form is usable at once with the saved values.
Voices are listed with the user's language first (`speech.voices`). The
voice can be heard before it is saved: the preview (ctrl+t) speaks a short
sentence with the form's engine, voice and rate in a worker, and the same
key (or leaving) stops it. The microphone check (ctrl+r) opens
`MicCheckScreen` with the form's microphone and thresholds.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, Select, Static, Switch
from textual.worker import Worker, WorkerState

from voice_mock.config import (
    Settings,
    SpeechSettings,
    check_value,
    cross_field_problems,
    save_settings,
)
from voice_mock.errors import UserError
from voice_mock.tui.screens.base import AppScreen, failure_text
from voice_mock.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from voice_mock.coach.mic_check import MicCheckResult
    from voice_mock.speech.tts import Speaker

ENGINE_CHOICES: tuple[tuple[str, str], ...] = (
    ("espeak-ng (pyttsx3, built in)", "pyttsx3"),
    ("Piper (natural voices, optional)", "piper"),
)
PREVIEW_LABEL = "Preview voice (ctrl+t)"
STOP_PREVIEW_LABEL = "Stop preview (ctrl+t)"

NUMBER_FIELDS: tuple[tuple[str, str, str, type], ...] = (
    ("speech", "rate", "Speaking rate (wpm)", int),
    ("audio", "silence_stop_s", "Stop after silence (s, 0 = off)", float),
    ("audio", "max_answer_s", "Longest answer (s)", float),
    ("audio", "prep_seconds", "Preparation countdown (s)", int),
    ("thresholds", "wpm_target_low", "Pace band from (wpm)", float),
    ("thresholds", "wpm_target_high", "Pace band to (wpm)", float),
    ("thresholds", "wpm_low", "Flag slower than (wpm)", float),
    ("thresholds", "wpm_high", "Flag faster than (wpm)", float),
    ("thresholds", "pause_s", "Pause from (s)", float),
    ("thresholds", "long_pause_s", "Long pause from (s)", float),
    ("thresholds", "fillers_fluent_per_min", "Fluent up to (fillers/min)", float),
    ("thresholds", "fillers_hesitant_per_min", "Hesitant from (fillers/min)", float),
    ("thresholds", "latency_slow_s", "Slow start after (s)", float),
    ("thresholds", "latency_very_slow_s", "Very slow start after (s)", float),
    ("thresholds", "coverage_good_ratio", "Key points good from (0-1)", float),
    ("thresholds", "coverage_partial_ratio", "Key points partial from (0-1)", float),
    ("thresholds", "quiet_dbfs", "Too quiet below (dBFS)", float),
    ("thresholds", "trailing_off_db", "Trailing off: drop of (dB)", float),
    ("thresholds", "clipped_ratio_max", "Clipping: samples over (0-1)", float),
    ("thresholds", "monotone_semitones", "Monotone below (semitones)", float),
    ("thresholds", "phone_volume_uneven_db", "Phone: uneven volume over (dB)", float),
)


def field_id(section: str, name: str) -> str:
    return f"set-{section}-{name}".replace("_", "-")


class SettingsScreen(AppScreen):
    """Edit and save the settings; nothing changes until Save."""

    TITLE = "Settings"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", tooltip="Write config.toml and use the new settings"),
        Binding(
            "ctrl+t",
            "preview",
            "Preview voice",
            tooltip="Hear the chosen voice and rate (again: stop)",
        ),
        Binding("ctrl+r", "mic_check", "Mic check", tooltip="Say something: level and verdict"),
        Binding("escape", "back", "Back", tooltip="Leave without saving"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._preview: Speaker | None = None
        self._preview_stopped = False
        self._engine_problems: dict[str, str | None] = {}

    def compose(self) -> ComposeResult:
        settings = self.vm.settings
        yield TitleBar()
        with VerticalScroll(id="settings-form"):
            yield Label("Audio and voice", classes="form-section")
            with Horizontal(classes="form-row"):
                yield Label("Microphone", classes="form-label")
                yield Select[Any]([], prompt="System default", id="set-input-device")
            yield Static("", id="mic-note", classes="form-note")
            with Horizontal(classes="form-row"):
                yield Label("Speaker", classes="form-label")
                yield Select[Any]([], prompt="System default", id="set-output-device")
            with Horizontal(classes="form-row"):
                yield Label("Question voice engine", classes="form-label")
                yield Select[str](
                    ENGINE_CHOICES,
                    value=settings.speech.engine,
                    allow_blank=False,
                    id="set-engine",
                )
            with Horizontal(classes="form-row", id="row-voice"):
                yield Label("Voice (espeak-ng)", classes="form-label")
                yield Select[str]([], prompt="Engine default", id="set-voice")
            with Horizontal(classes="form-row", id="row-piper-voice"):
                yield Label("Piper voice", classes="form-label")
                yield Select[str]([], prompt="First in your language", id="set-piper-voice")
            yield Static("", id="voice-note", classes="form-note")
            for section, name, label, kind in NUMBER_FIELDS:
                if section == "thresholds" and name == "wpm_target_low":
                    yield Label("Judging the answer", classes="form-section")
                value = getattr(getattr(settings, section), name)
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label")
                    yield Input(
                        str(value),
                        id=field_id(section, name),
                        type="integer" if kind is int else "number",
                    )
                if (section, name) == ("speech", "rate"):
                    with Horizontal(classes="form-buttons"):
                        yield Button(PREVIEW_LABEL, id="preview-voice")
                        yield Button("Check microphone (ctrl+r)", id="mic-check")
            yield Label("Data", classes="form-section")
            with Horizontal(classes="form-row"):
                yield Label("Sessions folder", classes="form-label")
                yield Input(
                    settings.recordings_dir or "",
                    placeholder=str(settings.sessions_dir()),
                    id="set-recordings-dir",
                )
            with Horizontal(classes="form-row"):
                yield Label("Start in phone mode", classes="form-label")
                yield Switch(settings.phone_mode, id="set-phone-mode")
            with Horizontal(classes="form-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.set_note("#mic-note", "")
        self.show_engine(self.vm.settings.speech.engine)
        self.load_choices()

    @work(thread=True, exclusive=True, exit_on_error=False, group="choices")
    def load_choices(self) -> None:
        """Ask PortAudio and the TTS engines what exists, off the UI thread."""
        services = self.vm.services
        devices: list[Any] = []
        voices: list[tuple[str, str]] = []
        piper_voices: list[tuple[str, str]] = []
        problems: list[str] = []
        try:
            devices = services.list_devices()
        except UserError as exc:
            problems.append(str(exc))
        try:
            voices = self.coach.voices("pyttsx3")
        except UserError as exc:
            problems.append(str(exc))
        try:
            piper_voices = self.coach.voices("piper")
        except UserError as exc:
            problems.append(str(exc))
        engine_problems = {
            engine: self.coach.engine_problem(engine) for _, engine in ENGINE_CHOICES
        }
        self.app.call_from_thread(self.fill_voices, piper_voices, engine_problems)
        self.app.call_from_thread(self.fill_choices, devices, voices, problems)

    def fill_voices(
        self, piper_voices: list[tuple[str, str]], engine_problems: dict[str, str | None]
    ) -> None:
        """Piper's installed voices (and the configured one, when it is a file elsewhere)."""
        self._engine_problems = engine_problems
        current = self.vm.settings.speech.piper_voice
        options = list(piper_voices)
        if current and current not in [v for _, v in options]:
            from voice_mock.speech.voices import looks_like_path

            where = "file" if looks_like_path(current) else "not installed"
            options.append((f"{where}: {current}", current))
        select = self.query_one("#set-piper-voice", Select)
        select.set_options(options)
        if current:
            select.value = current
        self.show_engine(self.engine())

    def engine(self) -> str:
        select = self.query_one("#set-engine", Select)
        return "pyttsx3" if select.is_blank() else str(select.value)

    def show_engine(self, engine: str) -> None:
        """Show the voice list of `engine` and why it cannot speak here, if it cannot."""
        self.query_one("#row-voice").display = engine != "piper"
        self.query_one("#row-piper-voice").display = engine == "piper"
        problem = self._engine_problems.get(engine)
        if problem and engine == "piper":
            text = f"{problem} Until then questions are spoken by espeak-ng."
        elif problem:
            text = problem
        elif engine == "piper":
            text = "Piper is GPL-3.0 software, installed as an optional extra."
        else:
            text = ""
        self.set_note("#voice-note", text)

    def set_note(self, selector: str, text: str) -> None:
        """A muted line under a field; hidden while it has nothing to say."""
        note = self.query_one(selector, Static)
        note.update(text)
        note.display = bool(text)

    @on(Select.Changed, "#set-engine")
    def engine_changed(self, event: Select.Changed) -> None:
        self.stop_preview()
        self.show_engine(self.engine())

    def fill_choices(
        self, devices: list[Any], voices: list[tuple[str, str]], problems: list[str]
    ) -> None:
        audio = self.vm.settings.audio
        inputs = [(f"{d.index}: {d.name}", d.index) for d in devices if d.max_in > 0]
        outputs = [(f"{d.index}: {d.name}", d.index) for d in devices if d.max_out > 0]
        for select_id, options, current in (
            ("#set-input-device", inputs, audio.input_device),
            ("#set-output-device", outputs, audio.output_device),
        ):
            select = self.query_one(select_id, Select)
            if isinstance(current, str) and current not in [v for _, v in options]:
                options = [*options, (f"name: {current}", current)]
            select.set_options(options)
            if current is not None and current in [v for _, v in options]:
                select.value = current
        voice_select = self.query_one("#set-voice", Select)
        voice_select.set_options(voices)
        current_voice = self.vm.settings.speech.voice
        if current_voice and current_voice in [v for _, v in voices]:
            voice_select.value = current_voice
        for problem in problems:
            self.notify(problem, severity="warning", timeout=8)

    @on(Worker.StateChanged)
    def worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "choices" and event.state == WorkerState.ERROR:
            event.stop()
            self.notify(f"Devices could not be listed: {event.worker.error}", severity="warning")
        if event.worker.group == "preview" and event.state in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
            WorkerState.CANCELLED,
        ):
            event.stop()
            self._preview = None
            self.query_one("#preview-voice", Button).label = PREVIEW_LABEL
            if event.state == WorkerState.ERROR:
                self.notify(
                    failure_text(event.worker.error),
                    title="The preview did not work",
                    severity="error",
                    timeout=10,
                )

    def collect(self) -> Settings:
        """The settings the form describes; a `UserError` names the first bad field.

        Each value is checked by the same rules as a hand-edited config file
        (`voice_mock.config.check_value` and `cross_field_problems`), so the
        screen and the file can never disagree about what is allowed.
        """
        settings = self.vm.settings
        sections: dict[str, dict[str, Any]] = {"audio": {}, "speech": {}, "thresholds": {}}
        labels = {(section, name): label for section, name, label, _ in NUMBER_FIELDS}
        for section, name, label, kind in NUMBER_FIELDS:
            raw = self.query_one(f"#{field_id(section, name)}", Input).value.strip()
            try:
                typed: int | float = kind(raw)
            except ValueError:
                raise UserError(f"{label}: '{raw}' is not a number.") from None
            value, problem = check_value(section, name, typed)
            if problem is not None:
                raise UserError(f"{label}: {problem}.")
            sections[section][name] = value
        for select_id, name in (
            ("#set-input-device", "input_device"),
            ("#set-output-device", "output_device"),
        ):
            select = self.query_one(select_id, Select)
            # An empty Select holds a sentinel object (Select.NULL in Textual 8), never a
            # device: `is_blank()` asks the widget rather than comparing with a constant.
            sections["audio"][name] = None if select.is_blank() else select.value
        voice = self.query_one("#set-voice", Select)
        sections["speech"]["voice"] = None if voice.is_blank() else voice.value
        sections["speech"]["engine"] = self.engine()
        piper_voice = self.query_one("#set-piper-voice", Select)
        sections["speech"]["piper_voice"] = None if piper_voice.is_blank() else piper_voice.value
        folder = self.query_one("#set-recordings-dir", Input).value.strip() or None
        collected = dataclasses.replace(
            settings,
            audio=dataclasses.replace(settings.audio, **sections["audio"]),
            speech=dataclasses.replace(settings.speech, **sections["speech"]),
            thresholds=dataclasses.replace(settings.thresholds, **sections["thresholds"]),
            recordings_dir=folder,
            phone_mode=self.query_one("#set-phone-mode", Switch).value,
        )
        broken = cross_field_problems(collected)
        if broken:
            names = ", ".join(labels.get(key, key[1]) for key in broken[0].keys)
            raise UserError(f"{broken[0].text}: check {names}.")
        return collected

    def action_save(self) -> None:
        try:
            settings = self.collect()
            path = save_settings(settings)
            self.vm.apply_settings(settings)
        except UserError as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=10)
            return
        except OSError as exc:
            self.notify(f"The settings could not be written: {exc}.", severity="error")
            return
        self.notify(f"Saved to {path}", title="Settings")
        self.stop_preview()
        self.dismiss()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "preview-voice":
            self.action_preview()
        elif event.button.id == "mic-check":
            self.action_mic_check()
        else:
            self.action_back()

    def action_back(self) -> None:
        self.stop_preview()
        self.dismiss()

    def on_unmount(self) -> None:
        self.stop_preview()

    # --- the voice preview -------------------------------------------------------------

    def form_speech(self) -> SpeechSettings:
        """The engine, voices and rate the form shows now (the rate checked like a save)."""
        raw = self.query_one(f"#{field_id('speech', 'rate')}", Input).value.strip()
        try:
            rate, problem = check_value("speech", "rate", int(raw))
        except ValueError:
            problem = f"'{raw}' is not a whole number"
        if problem is not None:
            raise UserError(f"Speaking rate (wpm): {problem}.")
        voice = self.query_one("#set-voice", Select)
        piper_voice = self.query_one("#set-piper-voice", Select)
        return dataclasses.replace(
            self.vm.settings.speech,
            engine=self.engine(),
            voice=None if voice.is_blank() else str(voice.value),
            piper_voice=None if piper_voice.is_blank() else str(piper_voice.value),
            rate=rate,
        )

    def action_preview(self) -> None:
        """Speak a short sentence with the form's voice and rate; pressed again, stop."""
        if self._preview is not None or self.preview_running:
            self.stop_preview()
            return
        try:
            speech = self.form_speech()
        except UserError as exc:
            self.notify(str(exc), title="No preview", severity="error")
            return
        self._preview_stopped = False
        self.query_one("#preview-voice", Button).label = STOP_PREVIEW_LABEL
        self.preview(speech)

    @property
    def preview_running(self) -> bool:
        return any(w.group == "preview" and not w.is_finished for w in self.workers)

    @work(thread=True, exclusive=True, exit_on_error=False, group="preview")
    def preview(self, speech: SpeechSettings) -> None:
        """Build the speaker as questions would get it, then say the sentence (blocking)."""
        from voice_mock.speech.voices import PREVIEW_SENTENCE

        choice = self.coach.voice_preview(speech)
        self._preview = choice.speaker
        if choice.why_not:
            self.app.call_from_thread(
                self.notify, choice.why_not, title="Preview", severity="warning", timeout=10
            )
        if self._preview_stopped:
            return
        choice.speaker.say(PREVIEW_SENTENCE)

    def stop_preview(self) -> None:
        self._preview_stopped = True
        speaker = self._preview
        if speaker is not None:
            speaker.stop()

    # --- the microphone check ----------------------------------------------------------

    def action_mic_check(self) -> None:
        """Open the check with the form's microphone, speaker and thresholds (unsaved)."""
        from voice_mock.tui.screens.mic_check import MicCheckScreen

        self.stop_preview()
        try:
            settings = self.collect()
        except UserError as exc:
            self.notify(
                f"{exc} The check uses the saved settings.", title="Mic check", severity="warning"
            )
            settings = self.vm.settings
        self.app.push_screen(MicCheckScreen(settings=settings), self.mic_checked)

    def mic_checked(self, result: MicCheckResult | None) -> None:
        if result is not None:
            self.set_note("#mic-note", f"Last check: {result.summary}")
