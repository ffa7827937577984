"""Home: find a question (search, bank, category), practise it or start a mock interview.

Also shows what the user needs before speaking: the model's state (with a
download action when it is missing), the input device and phone mode; per
question, how often it was practised and the last and best result; and how
this week went. A question's example answer is there too, behind a key and a
warning: read before trying, it turns the answer into an imitation.
"""

from __future__ import annotations

import random
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Footer, Input, Label, OptionList, Select, Static, Switch
from textual.widgets.option_list import Option

from voice_mock.bank import Question
from voice_mock.coach import ModelState
from voice_mock.render.numbers import when
from voice_mock.render.safe import visible
from voice_mock.store.index import QuestionStats
from voice_mock.tui.screens.base import AppScreen
from voice_mock.tui.screens.confirm import ConfirmScreen
from voice_mock.tui.widgets.title_bar import TitleBar

ALL = "*"


def stats_text(stats: QuestionStats | None) -> Text:
    """How often the question was practised, and the last and best results."""
    if stats is None:
        return Text("Not practised yet.", "dim")
    out = Text("Practised ", "bold")
    out.append(f"{stats.answers} time{'' if stats.answers == 1 else 's'}", "bold")
    out.append(f" · last {when(stats.last_at)}: ")
    last = []
    if stats.last_coverage_ratio is not None:
        last.append(f"{stats.last_coverage_ratio:.0%} of key points")
    if stats.last_fillers_per_min is not None:
        last.append(f"{stats.last_fillers_per_min:.1f} fillers/min")
    if stats.last_wpm is not None:
        last.append(f"{stats.last_wpm:.0f} wpm")
    out.append(", ".join(last) or "no words")
    best = []
    if stats.best_coverage_ratio is not None:
        best.append(f"{stats.best_coverage_ratio:.0%} of key points")
    if stats.best_fillers_per_min is not None:
        best.append(f"{stats.best_fillers_per_min:.1f} fillers/min")
    if best and stats.answers > 1:
        out.append(" · best: ", "green")
        out.append(", ".join(best), "green")
    return out


def example_text(question: Question) -> Text:
    """The example answer, shown on Home only after the user has asked and been warned."""
    if not question.example_answer.strip():
        return Text("This question has no example answer.", "italic")
    out = Text("\nAn example answer\n", "bold")
    out.append(visible(question.example_answer.strip(), multiline=True))
    return out


def question_detail(question: Question) -> Text:
    """What to know before answering: category, target length, why it is asked, key points."""
    low, high = question.target_seconds
    out = Text()
    out.append(visible(question.text) + "\n\n", "bold")
    out.append(f"{question.category}", "cyan")
    out.append(f" · aim for {low:.0f}-{high:.0f} s")
    if question.star:
        out.append(" · answer with STAR", "magenta")
    out.append(f"\n{question.qualified_id}\n", "dim")
    if question.why:
        out.append("\nWhy it is asked: ", "bold")
        out.append(visible(question.why, multiline=True) + "\n")
    if question.key_points:
        out.append("\nKey points to cover:\n", "bold")
        for point in question.key_points:
            out.append(f" • {visible(point.label)}\n")
    return out


class HomeScreen(AppScreen):
    """Pick a question and practise; the first screen, shown before the model loads."""

    TITLE = "Home"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "practice", "Practise", tooltip="Answer the highlighted question"),
        Binding("space", "mark", "Mark", tooltip="Mark questions for a mock interview"),
        Binding("m", "mock", "Mock interview", tooltip="N questions in a row, then a summary"),
        Binding(
            "r", "random", "Random", tooltip="Practise a random question from the list", show=False
        ),
        Binding("p", "toggle_phone", "Phone mode", tooltip="Phone-line sound and phone advice"),
        Binding("slash", "search", "Search", show=False),
        Binding("h", "app.history", "History"),
        Binding("s", "app.settings", "Settings"),
        Binding("d", "app.download_model", "Get model", tooltip="Download the speech model"),
        Binding(
            "e",
            "example",
            "Example answer",
            show=False,
            tooltip="A strong answer to the highlighted question (best read after you tried)",
        ),
    ]

    marked: reactive[frozenset[str]] = reactive(frozenset())
    """Qualified ids of questions chosen for a mock interview."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[Question] = []
        self.stats: dict[str, QuestionStats] = {}
        """Per question (``bank/id``): answers so far, the last and best results."""
        self.week = ""
        """This week's summary line, once read."""
        self.example_for: str | None = None
        """The question whose example answer the user asked to see (after the warning)."""

    def compose(self) -> ComposeResult:
        library = self.vm.library
        yield TitleBar()
        with Horizontal(id="home-filters"):
            yield Input(placeholder="Search questions ( / )", id="search")
            yield Select(
                [(bank.title, bank.id) for bank in library.banks],
                prompt="Bank",
                id="bank",
                allow_blank=True,
            )
            yield Select(
                [(c.capitalize(), c) for c in library.categories()],
                prompt="Category",
                id="category",
                allow_blank=True,
            )
        with Horizontal(id="home-main"):
            yield OptionList(id="questions")
            with VerticalScroll(id="question-detail"):
                yield Static("", id="detail")
        with Horizontal(id="home-options"):
            yield Label("Mock: questions", classes="field-label")
            yield Input("3", id="mock-count", type="integer", max_length=2)
            yield Label("Phone mode", classes="field-label")
            yield Switch(self.vm.phone_mode, id="phone")
        yield Static("", id="status-line")
        yield Footer()

    def on_screen_resume(self) -> None:
        """Practice, mock interviews and History come back here: read the stats again."""
        self.load_stats()

    @work(thread=True, exclusive=True, exit_on_error=False, group="stats")
    def load_stats(self) -> None:
        """Per-question stats (one query) and this week's summary, off the UI thread."""
        stats = self.coach.question_stats()
        summary = self.coach.week_summary(self.coach.progress())
        self.app.call_from_thread(self.show_stats, stats, summary.text if summary else "")

    def show_stats(self, stats: dict[str, QuestionStats], week: str) -> None:
        if not self.is_mounted:
            return
        self.stats, self.week = stats, week
        self.watch_marked()
        self.show_detail()

    def on_mount(self) -> None:
        self.refresh_questions()
        self.query_one("#questions", OptionList).focus()
        self.watch(self.vm, "model_state", self.show_status)
        self.watch(self.vm, "model_detail", self.show_status)
        self.watch(self.vm, "input_label", self.show_status)
        self.watch(self.vm, "phone_mode", self.show_phone)

    def show_phone(self) -> None:
        self.query_one("#phone", Switch).value = self.vm.phone_mode
        self.show_status()

    def show_status(self) -> None:
        app = self.vm
        state = app.model_state
        style = {
            ModelState.READY: "green",
            ModelState.LOADING: "yellow",
            ModelState.DOWNLOADING: "yellow",
        }.get(state, "red")
        text = Text("Model: ")
        label = {
            ModelState.READY: "ready",
            ModelState.LOADING: "loading…",
            ModelState.MISSING: "missing (press d to download)",
            ModelState.DOWNLOADING: "downloading",
            ModelState.FAILED: "failed",
        }[state]
        text.append(label, style)
        if app.model_detail:
            text.append(f" {app.model_detail}", "dim")
        text.append("  ·  Input: ")
        text.append(app.input_label or "checking…")
        if app.phone_mode:
            text.append("  ·  phone mode", "magenta")
        self.query_one("#status-line", Static).update(text)

    # --- the list ---------------------------------------------------------------------

    def filtered(self) -> list[Question]:
        search = self.query_one("#search", Input).value.strip().lower()
        bank = self.query_one("#bank", Select).value
        category = self.query_one("#category", Select).value
        out = []
        for question in self.vm.library.questions():
            if isinstance(bank, str) and question.bank_id != bank:
                continue
            if isinstance(category, str) and question.category != category:
                continue
            haystack = " ".join((question.text, question.id, question.why, *question.tips)).lower()
            if search and search not in haystack:
                continue
            out.append(question)
        return out

    def refresh_questions(self) -> None:
        option_list = self.query_one("#questions", OptionList)
        keep = self.current()
        self.shown = self.filtered()
        option_list.clear_options()
        for question in self.shown:
            option_list.add_option(Option(self._label(question), id=question.qualified_id))
        if self.shown:
            index = self.shown.index(keep) if keep in self.shown else 0
            option_list.highlighted = index
        self.show_detail()

    def _label(self, question: Question) -> Text:
        mark = "● " if question.qualified_id in self.marked else "  "
        text = Text(mark, "bold magenta")
        text.append(visible(question.text))
        stats = self.stats.get(question.qualified_id)
        if stats is not None:
            text.append(f"  ×{stats.answers}", "dim")
        return text

    def watch_marked(self) -> None:
        if not self.is_mounted:
            return
        option_list = self.query_one("#questions", OptionList)
        for index, question in enumerate(self.shown):
            option_list.replace_option_prompt_at_index(index, self._label(question))

    def current(self) -> Question | None:
        if not self.is_mounted:
            return None
        index = self.query_one("#questions", OptionList).highlighted
        if index is None or not (0 <= index < len(self.shown)):
            return None
        return self.shown[index]

    def show_detail(self) -> None:
        question = self.current()
        detail = self.query_one("#detail", Static)
        if question is None:
            detail.update(Text("No question matches the search.", "italic"))
            return
        text = question_detail(question)
        text.append("\n")
        text.append_text(stats_text(self.stats.get(question.qualified_id)))
        if self.example_for == question.qualified_id:
            text.append_text(example_text(question))
        elif question.example_answer.strip():
            text.append("\ne: see an example answer (best after you have tried)", "dim")
        if self.week:
            text.append(f"\n\n{visible(self.week)}", "dim")
        detail.update(text)

    @on(Input.Changed, "#search")
    @on(Select.Changed)
    def filters_changed(self) -> None:
        self.refresh_questions()

    @on(Input.Submitted, "#search")
    def search_done(self) -> None:
        self.query_one("#questions", OptionList).focus()

    @on(OptionList.OptionHighlighted, "#questions")
    def highlighted(self) -> None:
        self.show_detail()

    @on(OptionList.OptionSelected, "#questions")
    def selected(self) -> None:
        self.action_practice()

    @on(Switch.Changed, "#phone")
    def phone_switched(self, event: Switch.Changed) -> None:
        self.vm.phone_mode = event.value

    # --- actions ----------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_practice(self) -> None:
        question = self.current()
        if question is None:
            self.notify("Pick a question first.", severity="warning")
            return
        self.vm.start_practice([question])

    def action_random(self) -> None:
        if not self.shown:
            self.notify("No question matches the search.", severity="warning")
            return
        self.vm.start_practice([random.choice(self.shown)])

    def action_mark(self) -> None:
        question = self.current()
        if question is None:
            return
        ref = question.qualified_id
        self.marked = self.marked - {ref} if ref in self.marked else self.marked | {ref}

    def mock_count(self) -> int:
        raw = self.query_one("#mock-count", Input).value.strip()
        try:
            count = int(raw)
        except ValueError:
            count = 3
        return max(1, min(count, 20))

    def action_mock(self) -> None:
        """Marked questions in list order, else N random ones from the list (mixed categories)."""
        chosen = [q for q in self.vm.library.questions() if q.qualified_id in self.marked]
        if not chosen:
            pool = self.shown or self.vm.library.questions()
            chosen = random.sample(pool, min(self.mock_count(), len(pool)))
        if not chosen:
            self.notify("No questions to ask.", severity="warning")
            return
        self.marked = frozenset()
        self.vm.start_practice(chosen, mock=True)

    def action_example(self) -> None:
        """Show the highlighted question's example answer, after a warning."""
        question = self.current()
        if question is None:
            return
        if not question.example_answer.strip():
            self.notify("This question has no example answer.")
            return
        ref = question.qualified_id

        def answered(yes: bool | None) -> None:
            if yes:
                self.example_for = ref
                self.show_detail()

        tried = ref in self.stats
        warning = (
            "Read it after trying: an answer heard first tends to come back as an imitation, "
            "not your own story. Show the example answer anyway?"
            if not tried
            else "Show the example answer to compare it with yours?"
        )
        self.app.push_screen(ConfirmScreen(warning, "Show it"), answered)

    def action_toggle_phone(self) -> None:
        self.vm.phone_mode = not self.vm.phone_mode
