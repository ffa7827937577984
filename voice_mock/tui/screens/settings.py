"""Settings: devices, voice and rate, silence stop, thresholds, data folder; saved to config.toml.

Device and voice lists come from slow calls (PortAudio, pyttsx3), so they
fill in from a worker; the form is usable at once with the saved values.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, Select, Switch
from textual.worker import Worker, WorkerState

from voice_mock.config import Settings, check_value, cross_field_problems, save_settings
from voice_mock.errors import UserError
from voice_mock.tui.screens.base import AppScreen
from voice_mock.tui.widgets.title_bar import TitleBar

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
        Binding("escape", "back", "Back", tooltip="Leave without saving"),
    ]

    def compose(self) -> ComposeResult:
        settings = self.vm.settings
        yield TitleBar()
        with VerticalScroll(id="settings-form"):
            yield Label("Audio and voice", classes="form-section")
            with Horizontal(classes="form-row"):
                yield Label("Microphone", classes="form-label")
                yield Select[Any]([], prompt="System default", id="set-input-device")
            with Horizontal(classes="form-row"):
                yield Label("Speaker", classes="form-label")
                yield Select[Any]([], prompt="System default", id="set-output-device")
            with Horizontal(classes="form-row"):
                yield Label("Voice", classes="form-label")
                yield Select[str]([], prompt="Engine default", id="set-voice")
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
        self.load_choices()

    @work(thread=True, exclusive=True, exit_on_error=False, group="choices")
    def load_choices(self) -> None:
        """Ask PortAudio and the TTS engine what exists, off the UI thread."""
        services = self.vm.services
        devices: list[Any] = []
        voices: list[tuple[str, str]] = []
        problems: list[str] = []
        try:
            devices = services.list_devices()
        except UserError as exc:
            problems.append(str(exc))
        try:
            voices = services.list_voices()
        except UserError as exc:
            problems.append(str(exc))
        self.app.call_from_thread(self.fill_choices, devices, voices, problems)

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
        self.dismiss()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_back()

    def action_back(self) -> None:
        self.dismiss()
