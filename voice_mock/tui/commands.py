"""The command palette (ctrl+p): every action of the screen underneath and of the app, by name.

Nothing is described twice. A command comes from a `Binding` of the screen or
of the app that can run now: its description is the command's title, and its
tooltip and key are the help. The app actions that no key reaches from every screen
are listed once, in `APP_ACTIONS`, and are offered everywhere. When the screen
has a binding with the same title, that binding wins: Home's own "Mock
interview" uses the questions marked there. Textual's own commands (theme,
keys, quit...) come last, under the same rule.

`VoiceMockApp.get_system_commands` calls `palette_commands`; Textual's
`SystemCommandsProvider` searches the titles.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any, NamedTuple

from textual.actions import parse
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen


class AppAction(NamedTuple):
    """An app action offered in the palette on every screen, with or without a key there."""

    action: str
    """The name of an ``action_*`` method of the app."""
    title: str
    help: str


APP_ACTIONS: tuple[AppAction, ...] = (
    AppAction("random", "Practise a random question", "Ask one question and record the answer"),
    AppAction("mock", "Mock interview", "Three random questions in a row, then a summary"),
    AppAction("history", "History", "Saved answers, progress charts, exports"),
    AppAction("settings", "Settings", "Devices, voice, thresholds, data folder"),
    AppAction("download_model", "Download speech model", "Fetch the default Vosk model"),
    AppAction("toggle_phone", "Toggle phone mode", "Phone-line sound and phone advice"),
    AppAction("home", "Home", "Back to the question list"),
)
"""The app's actions besides its own bindings (help and quit are `VoiceMockApp.BINDINGS`)."""


def declared_bindings(node: DOMNode) -> list[Binding]:
    """The bindings `node`'s own classes declare, a subclass's key replacing its base's.

    Textual's classes (`App`, `Screen`: focus, copy, quit) are left out: Textual's
    commands cover what is useful there, and "Focus Next" is not something to
    look up by name. Unlike `Screen.active_bindings` this keeps a binding whose
    key the focused widget also uses: enter opens a session on History whether
    the table or the screen gets the key.
    """
    keys: set[str] = set()
    out: list[Binding] = []
    for cls in type(node).__mro__:
        if cls.__module__.split(".")[0] == "textual":
            continue
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", ())):
            if binding.key not in keys:
                keys.add(binding.key)
                out.append(binding)
    return out


def _enabled(node: DOMNode, action: str) -> bool:
    """Whether `action` (as a binding of `node` names it) can run now: the footer's rule."""
    namespace, name, params = parse(action)
    target = {"app": node.app, "screen": node.screen}.get(namespace, node) if namespace else node
    return target.check_action(name, params) is True


def binding_commands(screen: Screen[Any]) -> Iterator[SystemCommand]:
    """A command for each binding of `screen` and of the app that has a description and
    can run now (`check_action`). One action bound to several keys is one command, its
    help naming every key."""
    app = screen.app
    found: dict[tuple[int, str], tuple[DOMNode, Binding, list[str]]] = {}
    nodes: tuple[DOMNode, ...] = (screen, app)
    for node in nodes:
        for binding in declared_bindings(node):
            if binding.description and _enabled(node, binding.action):
                entry = found.setdefault((id(node), binding.action), (node, binding, []))
                entry[2].append(app.get_key_display(binding))
    for target, binding, keys in found.values():
        help_text = f"key {' / '.join(keys)}"
        if binding.tooltip:
            help_text = f"{binding.tooltip} · {help_text}"
        yield SystemCommand(
            binding.description, help_text, partial(app.run_action, binding.action, target)
        )


def palette_commands(
    app: App[Any], screen: Screen[Any], textual_commands: Iterable[SystemCommand]
) -> Iterator[SystemCommand]:
    """The palette's commands on `screen`: its bindings and the app's, then `APP_ACTIONS`,
    then Textual's own `textual_commands`; of two commands with one title the first is kept."""
    app_actions = (
        SystemCommand(item.title, item.help, partial(app.run_action, f"app.{item.action}"))
        for item in APP_ACTIONS
    )
    seen: set[str] = set()
    for source in (binding_commands(screen), app_actions, textual_commands):
        for command in source:
            title = command.title.casefold()
            if title not in seen:
                seen.add(title)
                yield command
