"""Question banks: the TOML schema, loading, validation and look-up.

A bank is a TOML file (see "Contract: question bank" in DESIGN.md). Banks are
written by hand, so every mistake must come back as one sentence that names
the file, the question and the field; otherwise a user editing a bank has to
guess which of thirty questions broke it. Validation is strict (unknown keys
are errors) because a misspelt optional key such as ``follow_up`` would
otherwise be silently ignored.

This module only reads files; it never imports the UI, so the CLI, the TUI
and the analysis share the same `Question` values.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voice_mock.analysis.thresholds import Thresholds
from voice_mock.errors import UserError

CATEGORIES: tuple[str, ...] = ("general", "behavioral", "scenario", "company")
"""Question categories, in the order the fronts list them."""

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SLUG_RULE = "lowercase letters, digits and single hyphens between them"

_TOP_KEYS = frozenset({"bank", "questions"})
_BANK_KEYS = frozenset({"id", "title"})
_QUESTION_KEYS = frozenset(
    {
        "id",
        "text",
        "category",
        "target_seconds",
        "star",
        "why",
        "tips",
        "follow_ups",
        "key_points",
        "example_answer",
    }
)
_KEY_POINT_KEYS = frozenset({"id", "label", "cues", "examples", "star_part"})
STAR_PARTS: tuple[str, ...] = ("situation", "task", "action", "result")
"""The parts of a STAR story a key point may stand for (``star_part``)."""
MAX_TEXT_CHARS = 2_000
"""Longest question text, label, cue, tip or example; a longer one is a mistake (or an attack)."""
MAX_LONG_TEXT_CHARS = 8_000
"""Longest ``why`` or ``example_answer`` (a two-minute answer is about 2,000 characters)."""
MAX_BANK_BYTES = 4_000_000
"""Largest bank file read (the bundled bank is about 100 kB)."""
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Unicode's control characters (category Cc) other than newline and tab; one regex
search per field instead of a category lookup per character (the bundled banks
load in half the time, and every command loads them)."""


@dataclass(frozen=True, slots=True)
class KeyPoint:
    """Something a good answer mentions; covered when any cue is said."""

    id: str
    label: str
    cues: tuple[str, ...]
    """Phrases matched against the transcript, inflection- and case-tolerant."""
    examples: tuple[str, ...] = ()
    """Natural sentences that make the point; what was said is compared with them by meaning."""
    star_part: str | None = None
    """For a behavioural question, the STAR part this point is ("situation", "task",
    "action" or "result"): the story's part, when heard, covers the point."""


@dataclass(frozen=True, slots=True)
class Question:
    """One interview question with everything the coach needs to judge an answer."""

    id: str
    text: str
    category: str
    target_seconds: tuple[float, float]
    """Answer length the user should aim for (shorter or longer is flagged)."""
    star: bool
    """Whether the answer should follow Situation, Task, Action, Result."""
    why: str
    """What the interviewer wants to learn from the question."""
    tips: tuple[str, ...]
    follow_ups: tuple[str, ...]
    key_points: tuple[KeyPoint, ...]
    bank_id: str
    example_answer: str = ""
    """A strong answer of about the target length, shown after the user has answered."""

    @property
    def qualified_id(self) -> str:
        """``bank/id``: unique across every loaded bank, so sessions can find it again."""
        return f"{self.bank_id}/{self.id}"


@dataclass(frozen=True, slots=True)
class Bank:
    """One bank file: its id, title and questions in file order."""

    id: str
    title: str
    questions: tuple[Question, ...]
    path: Path

    def question(self, question_id: str) -> Question | None:
        """The question with this id in this bank, or None."""
        for question in self.questions:
            if question.id == question_id:
                return question
        return None


@dataclass(slots=True)
class Library:
    """Every loaded bank: the bundled ones plus those added with ``--questions``."""

    banks: tuple[Bank, ...]

    def questions(self) -> list[Question]:
        """All questions, bank by bank, in file order."""
        return [q for bank in self.banks for q in bank.questions]

    def categories(self) -> list[str]:
        """Categories that have at least one question, in `CATEGORIES` order."""
        present = {q.category for q in self.questions()}
        return [c for c in CATEGORIES if c in present]

    def bank(self, bank_id: str) -> Bank:
        """The bank with this id; a `UserError` listing the loaded banks otherwise."""
        for bank in self.banks:
            if bank.id == bank_id:
                return bank
        known = ", ".join(b.id for b in self.banks) or "none"
        raise UserError(f"No question bank '{bank_id}' is loaded (loaded banks: {known}).")

    def find(self, ref: str) -> Question:
        """Look a question up by ``id`` or ``bank/id``.

        A bare id must be unique across the loaded banks; when it is not, the
        error says to write ``BANK/ID`` and lists the choices, so the user never
        silently practises the wrong bank's question.
        """
        ref = ref.strip()
        if "/" in ref:
            bank_id, _, question_id = ref.partition("/")
            bank = self.bank(bank_id)
            found = bank.question(question_id)
            if found is not None:
                return found
            hint = _suggest(question_id, [q.id for q in bank.questions])
            raise UserError(f"No question '{question_id}' in bank '{bank.id}'{hint}.")
        matches = [q for q in self.questions() if q.id == ref]
        if len(matches) == 1:
            return matches[0]
        if matches:
            choices = ", ".join(q.qualified_id for q in matches)
            raise UserError(
                f"Question id '{ref}' is in several banks; write it as BANK/ID, one of: {choices}."
            )
        hint = _suggest(ref, [q.id for q in self.questions()])
        raise UserError(f"No question '{ref}' in the loaded banks{hint}.")


def _suggest(word: str, candidates: Iterable[str]) -> str:
    """A ``"; did you mean ..."`` tail with the closest ids, or a pointer to the list."""
    close = difflib.get_close_matches(word, sorted(set(candidates)), n=4, cutoff=0.5)
    if close:
        return "; did you mean " + ", ".join(close) + "?"
    return " (see `voice-mock questions list`)"


# --- loading ------------------------------------------------------------------------


Sink = Callable[[str], UserError]
"""Turns a problem ("must be text") into the full error sentence for one field."""


class _Where:
    """Builds error sentences that name the file, the question and the field."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def bank(self, field: str, problem: str) -> UserError:
        return UserError(f"{self.path}: [bank] field '{field}' {problem}.")

    def question(self, question: str, field: str, problem: str) -> UserError:
        return UserError(f"{self.path}: question {question}, field '{field}' {problem}.")

    def bank_sink(self, field: str) -> Sink:
        return lambda problem: self.bank(field, problem)

    def question_sink(self, question: str, field: str) -> Sink:
        return lambda problem: self.question(question, field, problem)


def _type_name(value: object) -> str:
    names = {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _control_problem(value: str, limit: int) -> str | None:
    """Why `value` may not be shown on a terminal, or None.

    Banks are shared files: an escape sequence in one could retitle the
    terminal or wipe the screen, and a NUL breaks the speech engine, so
    control characters other than newline and tab are refused.
    """
    control = _CONTROL.search(value)
    if control is not None:
        char = control.group(0)
        return f"holds a control character (U+{ord(char):04X}) at position {control.start() + 1}"
    if len(value) > limit:
        return f"is {len(value):,} characters long; the most allowed is {limit:,}"
    return None


def _text(value: object, problem_sink: Sink, *, required: bool, limit: int = MAX_TEXT_CHARS) -> str:
    """Check a text field; `problem_sink(problem)` builds the error."""
    if not isinstance(value, str):
        raise problem_sink(f"must be text, not {_type_name(value)}")
    if required and not value.strip():
        raise problem_sink("must not be empty")
    problem = _control_problem(value, limit)
    if problem is not None:
        raise problem_sink(problem)
    return value.strip()


def _text_list(value: object, problem_sink: Sink) -> tuple[str, ...]:
    """A list of non-blank strings (tips, follow-ups, cues), stripped."""
    if not isinstance(value, list):
        raise problem_sink(f"must be a list of text, not {_type_name(value)}")
    items: list[str] = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise problem_sink(f"item {number} must be text, not {_type_name(item)}")
        if not item.strip():
            raise problem_sink(f"item {number} is empty")
        problem = _control_problem(item, MAX_TEXT_CHARS)
        if problem is not None:
            raise problem_sink(f"item {number} {problem}")
        items.append(item.strip())
    return tuple(items)


def _unknown(data: Mapping[str, Any], allowed: frozenset[str]) -> str | None:
    extra = sorted(set(data) - allowed)
    return extra[0] if extra else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        if path.is_file() and path.stat().st_size > MAX_BANK_BYTES:
            raise UserError(
                f"Question bank {path} is larger than {MAX_BANK_BYTES // 1_000_000} MB; "
                "split it into several files."
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"Question bank {path} does not exist.") from None
    except IsADirectoryError:
        raise UserError(f"Question bank {path} is a folder, not a .toml file.") from None
    except OSError as exc:
        raise UserError(f"Question bank {path} could not be read: {exc.strerror}.") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError(f"Question bank {path} is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"Question bank {path} is not valid TOML: {exc}.") from None
    except RecursionError:
        raise UserError(f"Question bank {path} is nested too deeply to be a bank.") from None


def _target_seconds(value: object, sink: Sink) -> tuple[float, float]:
    """Two increasing positive numbers: the answer length the user aims for."""
    if not isinstance(value, list) or len(value) != 2 or not all(_is_number(v) for v in value):
        raise sink("must be two numbers of seconds, such as [45, 120]")
    low, high = float(value[0]), float(value[1])
    if not (math.isfinite(low) and math.isfinite(high)):
        raise sink("must be two finite numbers of seconds, such as [45, 120]")
    if low <= 0:
        raise sink("must start above zero seconds")
    if high <= low:
        raise sink(f"must be increasing, but {value[1]} is not more than {value[0]}")
    return (low, high)


def _key_points(value: object, where: _Where, question: str) -> tuple[KeyPoint, ...]:
    """Validate ``[[questions.key_points]]``; fields are named ``key_points.<id>.<field>``."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise where.question(question, "key_points", "must be [[questions.key_points]] tables")
    points: list[KeyPoint] = []
    seen: set[str] = set()
    for number, data in enumerate(value, start=1):
        raw_id = data.get("id")
        has_id = isinstance(raw_id, str) and raw_id.strip()
        name = f"key_points.{raw_id}" if has_id else f"key_points[{number}]"
        unknown = _unknown(data, _KEY_POINT_KEYS)
        if unknown is not None:
            raise where.question(
                question,
                f"{name}.{unknown}",
                "is not a known key (id, label, cues, examples, star_part)",
            )
        for required in ("id", "label", "cues"):
            if required not in data:
                raise where.question(question, f"{name}.{required}", "is missing")
        id_sink = where.question_sink(question, f"{name}.id")
        point_id = _text(data["id"], id_sink, required=True)
        if not _SLUG.match(point_id):
            raise id_sink(f"'{point_id}' is not a slug ({_SLUG_RULE})")
        if point_id in seen:
            raise id_sink(f"'{point_id}' is used by two key points of this question")
        seen.add(point_id)
        label = _text(data["label"], where.question_sink(question, f"{name}.label"), required=True)
        cues_sink = where.question_sink(question, f"{name}.cues")
        cues = _text_list(data["cues"], cues_sink)
        if not cues:
            raise cues_sink("must list at least one cue")
        examples = _text_list(
            data.get("examples", []), where.question_sink(question, f"{name}.examples")
        )
        star_part = data.get("star_part")
        if star_part is not None and star_part not in STAR_PARTS:
            raise where.question(
                question,
                f"{name}.star_part",
                f"'{star_part}' is not one of {', '.join(STAR_PARTS)}",
            )
        points.append(
            KeyPoint(id=point_id, label=label, cues=cues, examples=examples, star_part=star_part)
        )
    return tuple(points)


def _question(
    data: dict[str, Any], number: int, bank_id: str, where: _Where, thresholds: Thresholds
) -> Question:
    raw_id = data.get("id")
    question = f"'{raw_id}'" if isinstance(raw_id, str) and raw_id else f"#{number}"

    def sink_for(field: str) -> Sink:
        return where.question_sink(question, field)

    unknown = _unknown(data, _QUESTION_KEYS)
    if unknown is not None:
        known = ", ".join(sorted(_QUESTION_KEYS))
        raise where.question(question, unknown, f"is not a known key ({known})")
    for required in ("id", "text", "category"):
        if required not in data:
            raise where.question(question, required, "is missing")
    question_id = _text(data["id"], sink_for("id"), required=True)
    if not _SLUG.match(question_id):
        raise where.question(question, "id", f"'{question_id}' is not a slug ({_SLUG_RULE})")
    text = _text(data["text"], sink_for("text"), required=True)
    category = _text(data["category"], sink_for("category"), required=True)
    if category not in CATEGORIES:
        raise where.question(
            question, "category", f"'{category}' is not one of {', '.join(CATEGORIES)}"
        )
    behavioral = category == "behavioral"
    if "target_seconds" in data:
        target = _target_seconds(data["target_seconds"], sink_for("target_seconds"))
    else:
        target = thresholds.star_target_s if behavioral else thresholds.general_target_s
    star = data.get("star", behavioral)
    if not isinstance(star, bool):
        raise where.question(question, "star", f"must be true or false, not {_type_name(star)}")
    why = _text(data.get("why", ""), sink_for("why"), required=False, limit=MAX_LONG_TEXT_CHARS)
    example_answer = _text(
        data.get("example_answer", ""),
        sink_for("example_answer"),
        required=False,
        limit=MAX_LONG_TEXT_CHARS,
    )
    tips = _text_list(data.get("tips", []), sink_for("tips"))
    follow_ups = _text_list(data.get("follow_ups", []), sink_for("follow_ups"))
    key_points = _key_points(data.get("key_points", []), where, question)
    return Question(
        id=question_id,
        text=text,
        category=category,
        target_seconds=(float(target[0]), float(target[1])),
        star=star,
        why=why,
        tips=tips,
        follow_ups=follow_ups,
        key_points=key_points,
        bank_id=bank_id,
        example_answer=example_answer,
    )


def load_bank(path: Path, *, thresholds: Thresholds | None = None) -> Bank:
    """Read and validate one bank file.

    `thresholds` supplies the default answer lengths by category (the user's
    config may change them). Any problem raises a `UserError` whose sentence
    names the file, the question and the field.
    """
    path = Path(path).expanduser()
    thresholds = thresholds or Thresholds()
    where = _Where(path)
    data = _read_toml(path)
    unknown = _unknown(data, _TOP_KEYS)
    if unknown is not None:
        raise UserError(
            f"{path}: top-level key '{unknown}' is not known (expected [bank] and [[questions]])."
        )
    bank_data = data.get("bank")
    if not isinstance(bank_data, dict):
        raise UserError(f"{path}: the [bank] table with 'id' and 'title' is missing.")
    unknown = _unknown(bank_data, _BANK_KEYS)
    if unknown is not None:
        raise where.bank(unknown, "is not a known key (id, title)")
    for required in ("id", "title"):
        if required not in bank_data:
            raise where.bank(required, "is missing")
    bank_id = _text(bank_data["id"], where.bank_sink("id"), required=True)
    if not _SLUG.match(bank_id):
        raise where.bank("id", f"'{bank_id}' is not a slug ({_SLUG_RULE})")
    title = _text(bank_data["title"], where.bank_sink("title"), required=True)

    raw_questions = data.get("questions", [])
    if not isinstance(raw_questions, list) or not all(isinstance(q, dict) for q in raw_questions):
        raise UserError(f"{path}: 'questions' must be [[questions]] tables.")
    if not raw_questions:
        raise UserError(f"{path}: the bank has no questions; add at least one [[questions]] table.")
    questions: list[Question] = []
    seen: set[str] = set()
    for number, raw in enumerate(raw_questions, start=1):
        question = _question(raw, number, bank_id, where, thresholds)
        if question.id in seen:
            raise where.question(f"'{question.id}'", "id", "is used by two questions of this bank")
        seen.add(question.id)
        questions.append(question)
    return Bank(id=bank_id, title=title, questions=tuple(questions), path=path)


def _bank_files(path: Path) -> list[Path]:
    """The bank files a ``--questions`` path stands for: the file, or a folder's *.toml."""
    path = Path(path).expanduser()
    if not path.exists():
        raise UserError(f"Question bank path {path} does not exist.")
    if path.is_dir():
        files = sorted(p for p in path.glob("*.toml") if p.is_file())
        if not files:
            raise UserError(f"Question bank folder {path} has no .toml files.")
        return files
    return [path]


def _load_all(files: Sequence[Path], thresholds: Thresholds | None) -> list[Bank]:
    """Load files once each (by real path) and refuse two banks with one id."""
    banks: list[Bank] = []
    seen_paths: set[Path] = set()
    by_id: dict[str, Bank] = {}
    for file in files:
        real = file.resolve()
        if real in seen_paths:
            continue
        seen_paths.add(real)
        bank = load_bank(file, thresholds=thresholds)
        other = by_id.get(bank.id)
        if other is not None:
            raise UserError(
                f"Two question banks have the id '{bank.id}': {other.path} and {bank.path}; "
                "give one of them another [bank] id."
            )
        by_id[bank.id] = bank
        banks.append(bank)
    return banks


def load_library(extra: Sequence[Path] = (), *, thresholds: Thresholds | None = None) -> Library:
    """The bundled banks plus every extra file or folder (``--questions PATH``).

    A file given twice (say, a bundled bank passed again with --questions) is
    read once; two different files with the same bank id are an error, since
    ``bank/id`` references would otherwise be ambiguous.
    """
    from voice_mock.config import bundled_questions_dir

    files: list[Path] = []
    bundled = bundled_questions_dir()
    if bundled.is_dir():
        files.extend(sorted(p for p in bundled.glob("*.toml") if p.is_file()))
    for path in extra:
        files.extend(_bank_files(Path(path)))
    return Library(banks=tuple(_load_all(files, thresholds)))


def validate_path(path: Path, *, thresholds: Thresholds | None = None) -> list[Bank]:
    """Validate a bank file or a folder of them (``voice-mock questions validate PATH``)."""
    return _load_all(_bank_files(Path(path)), thresholds)
