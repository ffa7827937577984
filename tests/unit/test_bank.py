"""Question banks: the bundled bank, every validation error, and library look-up.

Validation messages are the only help a user editing a bank gets, so each
error test checks that the one sentence names the file, the question and the
field that is wrong.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from voice_mock.analysis.thresholds import Thresholds
from voice_mock.bank import (
    CATEGORIES,
    Bank,
    Library,
    load_bank,
    load_library,
    validate_path,
)
from voice_mock.config import bundled_questions_dir
from voice_mock.errors import UserError

BUNDLED = bundled_questions_dir() / "customer-service.toml"

GOOD_QUESTION = """
[[questions]]
id = "{qid}"
text = "How would you calm an angry caller?"
category = "{category}"

[[questions.key_points]]
id = "listening"
label = "Listen first"
cues = ["listen", "hear them out"]

[[questions.key_points]]
id = "apology"
label = "Apologise"
cues = ["sorry", "apologise"]
"""


def bank_text(bank_id: str = "mini", *questions: str) -> str:
    body = "".join(questions) or GOOD_QUESTION.format(qid="angry-caller", category="scenario")
    return f'[bank]\nid = "{bank_id}"\ntitle = "Mini bank"\n{body}'


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def one_question(**overrides: str) -> str:
    """A single valid question with some lines replaced or added (raw TOML values)."""
    fields = {
        "id": '"angry-caller"',
        "text": '"How would you calm an angry caller?"',
        "category": '"scenario"',
    }
    fields.update(overrides)
    lines = [f"{key} = {value}" for key, value in fields.items() if value != "<drop>"]
    points = (
        "\n[[questions.key_points]]\n"
        'id = "listening"\nlabel = "Listen first"\ncues = ["listen", "hear them out"]\n'
    )
    return "\n[[questions]]\n" + "\n".join(lines) + "\n" + points


def assert_names(message: str, *parts: str) -> None:
    for part in parts:
        assert part in message, f"{part!r} not in {message!r}"


# --- the bundled bank ---------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> Bank:
    return load_bank(BUNDLED)


def test_bundled_bank_loads_with_enough_questions(bundled: Bank) -> None:
    assert bundled.id == "customer-service"
    assert bundled.title == "Customer service interviews"
    assert len(bundled.questions) >= 25
    assert {q.category for q in bundled.questions} == set(CATEGORIES)
    ids = [q.id for q in bundled.questions]
    assert len(ids) == len(set(ids))


def test_bundled_behavioral_questions_are_star(bundled: Bank) -> None:
    behavioral = [q for q in bundled.questions if q.category == "behavioral"]
    assert len(behavioral) >= 5
    assert all(q.star for q in behavioral)
    assert not any(q.star for q in bundled.questions if q.category != "behavioral")


def test_bundled_questions_are_complete(bundled: Bank) -> None:
    stop_words = {"the", "a", "an", "and", "i", "to", "it", "good", "is", "of", "you"}
    for q in bundled.questions:
        assert 3 <= len(q.key_points) <= 6, q.id
        assert len({kp.id for kp in q.key_points}) == len(q.key_points), q.id
        assert q.why and 2 <= len(q.tips) <= 4 and 1 <= len(q.follow_ups) <= 3, q.id
        low, high = q.target_seconds
        assert 0 < low < high <= 180, q.id
        for kp in q.key_points:
            assert 4 <= len(kp.cues) <= 10, (q.id, kp.id)
            for cue in kp.cues:
                assert cue == cue.lower().strip() and cue not in stop_words, (q.id, cue)


def test_bundled_bank_covers_the_core_topics(bundled: Bank) -> None:
    ids = {q.id for q in bundled.questions}
    for expected in (
        "what-is-customer-service",
        "customer-service-meaning",
        "great-customer-service",
        "irate-customer",
        "billing-error",
        "non-refundable-refund",
        "above-and-beyond",
        "could-not-solve",
        "rude-coworker",
        "strengths",
        "weaknesses",
        "why-this-company",
        "product-or-service",
        "handle-feedback",
        "tell-me-about-yourself",
    ):
        assert expected in ids


def test_library_includes_bundled_bank() -> None:
    library = load_library()
    assert "customer-service" in [b.id for b in library.banks]
    question = library.find("irate-customer")
    assert question.qualified_id == "customer-service/irate-customer"
    assert library.find("customer-service/irate-customer") is question
    assert library.categories() == list(CATEGORIES)
    assert len(library.questions()) == sum(len(b.questions) for b in library.banks)


# --- parsing and defaults ----------------------------------------------------------


def test_defaults_follow_the_category(tmp_path: Path) -> None:
    text = bank_text(
        "mini",
        GOOD_QUESTION.format(qid="general-one", category="general"),
        GOOD_QUESTION.format(qid="story-one", category="behavioral"),
        one_question(id='"timed"', target_seconds="[30, 60.5]", star="true"),
    )
    bank = load_bank(write(tmp_path, "mini.toml", text))
    general, story, timed = bank.questions
    defaults = Thresholds()
    assert general.target_seconds == defaults.general_target_s
    assert general.star is False
    assert story.target_seconds == defaults.star_target_s
    assert story.star is True
    assert timed.target_seconds == (30.0, 60.5)
    assert timed.star is True
    assert general.key_points[0].cues == ("listen", "hear them out")
    assert general.bank_id == "mini" and general.qualified_id == "mini/general-one"
    assert bank.path == tmp_path / "mini.toml"


def test_thresholds_change_default_lengths(tmp_path: Path) -> None:
    path = write(tmp_path, "mini.toml", bank_text())
    bank = load_bank(path, thresholds=Thresholds(general_target_s=(20.0, 40.0)))
    assert bank.questions[0].target_seconds == (20.0, 40.0)


# --- validation errors: each names the file, the question and the field ----------------

QUESTION_ERRORS = [
    # (case name, question TOML, question named, field named, extra words)
    ("unknown-key", one_question(follow_up='["x"]'), "angry-caller", "follow_up", "not a known"),
    ("bad-category", one_question(category='"technical"'), "angry-caller", "category", "technical"),
    (
        "target-decreasing",
        one_question(target_seconds="[120, 45]"),
        "angry-caller",
        "target_seconds",
        "increasing",
    ),
    (
        "target-one-number",
        one_question(target_seconds="[45]"),
        "angry-caller",
        "target_seconds",
        "two numbers",
    ),
    (
        "target-text",
        one_question(target_seconds='["45", "90"]'),
        "angry-caller",
        "target_seconds",
        "two numbers",
    ),
    (
        "target-bool",
        one_question(target_seconds="[true, 90]"),
        "angry-caller",
        "target_seconds",
        "two numbers",
    ),
    (
        "target-scalar",
        one_question(target_seconds="60"),
        "angry-caller",
        "target_seconds",
        "two numbers",
    ),
    (
        "target-zero",
        one_question(target_seconds="[0, 30]"),
        "angry-caller",
        "target_seconds",
        "above zero",
    ),
    ("non-slug-id", one_question(id='"Angry_Caller"'), "Angry_Caller", "id", "slug"),
    ("id-with-slash", one_question(id='"a/b"'), "a/b", "id", "slug"),
    ("missing-text", one_question(text="<drop>"), "angry-caller", "text", "missing"),
    ("missing-category", one_question(category="<drop>"), "angry-caller", "category", "missing"),
    ("missing-id", one_question(id="<drop>"), "#1", "id", "missing"),
    ("blank-text", one_question(text='"   "'), "angry-caller", "text", "empty"),
    ("text-not-text", one_question(text="5"), "angry-caller", "text", "must be text"),
    ("star-not-bool", one_question(star='"yes"'), "angry-caller", "star", "true or false"),
    ("tips-not-list", one_question(tips='"be calm"'), "angry-caller", "tips", "list"),
    ("tips-item-number", one_question(tips="[1]"), "angry-caller", "tips", "item 1"),
    (
        "follow-up-blank",
        one_question(follow_ups='["ok", " "]'),
        "angry-caller",
        "follow_ups",
        "item 2",
    ),
    ("why-not-text", one_question(why="3"), "angry-caller", "why", "must be text"),
    (
        "target-nan",
        one_question(target_seconds="[nan, 5]"),
        "angry-caller",
        "target_seconds",
        "finite",
    ),
    (
        "target-inf",
        one_question(target_seconds="[1, inf]"),
        "angry-caller",
        "target_seconds",
        "finite",
    ),
    (
        "text-with-escape",
        one_question(text='"Hello \\u001b]0;pwned\\u0007"'),
        "angry-caller",
        "text",
        "control character (U+001B)",
    ),
    (
        "text-with-nul",
        one_question(text='"Hello \\u0000 there"'),
        "angry-caller",
        "text",
        "U+0000",
    ),
    (
        "tip-with-escape",
        one_question(tips='["ok", "\\u001b[2J"]'),
        "angry-caller",
        "tips",
        "item 2 holds a control character",
    ),
    (
        "text-too-long",
        one_question(text='"' + "x" * 3000 + '"'),
        "angry-caller",
        "text",
        "3,000 characters",
    ),
    (
        "example-answer-not-text",
        one_question(example_answer="[1]"),
        "angry-caller",
        "example_answer",
        "must be text",
    ),
    (
        "key-points-not-tables",
        '\n[[questions]]\nid = "angry-caller"\ntext = "Q?"\ncategory = "general"\n'
        'key_points = ["x"]\n',
        "angry-caller",
        "key_points",
        "tables",
    ),
]


@pytest.mark.parametrize(
    ("question", "named", "field", "words"),
    [case[1:] for case in QUESTION_ERRORS],
    ids=[case[0] for case in QUESTION_ERRORS],
)
def test_question_errors_name_file_question_field(
    tmp_path: Path, question: str, named: str, field: str, words: str
) -> None:
    path = write(tmp_path, "broken.toml", bank_text("mini", question))
    with pytest.raises(UserError) as info:
        load_bank(path)
    assert_names(str(info.value), str(path), f"question '{named}'" if named != "#1" else named)
    assert_names(str(info.value), f"field '{field}'", words)
    assert str(info.value).endswith(".")


KEY_POINT_CASES = [
    (
        "empty-cues",
        'id = "listening"\nlabel = "Listen"\ncues = []',
        "key_points.listening.cues",
        "at least one cue",
    ),
    (
        "blank-cue",
        'id = "listening"\nlabel = "Listen"\ncues = ["listen", "  "]',
        "key_points.listening.cues",
        "item 2 is empty",
    ),
    (
        "cue-not-text",
        'id = "listening"\nlabel = "Listen"\ncues = [3]',
        "key_points.listening.cues",
        "must be text",
    ),
    (
        "cues-not-list",
        'id = "listening"\nlabel = "Listen"\ncues = "listen"',
        "key_points.listening.cues",
        "list",
    ),
    (
        "unknown-key",
        'id = "listening"\nlabel = "Listen"\ncues = ["listen"]\ncue = "x"',
        "key_points.listening.cue",
        "not a known key",
    ),
    (
        "missing-label",
        'id = "listening"\ncues = ["listen"]',
        "key_points.listening.label",
        "missing",
    ),
    ("missing-id", 'label = "Listen"\ncues = ["listen"]', "key_points[1].id", "missing"),
    (
        "non-slug-id",
        'id = "Listen Well"\nlabel = "Listen"\ncues = ["listen"]',
        "key_points.Listen Well.id",
        "slug",
    ),
    (
        "blank-label",
        'id = "listening"\nlabel = ""\ncues = ["listen"]',
        "key_points.listening.label",
        "empty",
    ),
    (
        "examples-not-list",
        'id = "listening"\nlabel = "Listen"\ncues = ["listen"]\nexamples = "I listen."',
        "key_points.listening.examples",
        "list",
    ),
    (
        "blank-example",
        'id = "listening"\nlabel = "Listen"\ncues = ["listen"]\nexamples = ["I listen.", ""]',
        "key_points.listening.examples",
        "item 2 is empty",
    ),
    (
        "bad-star-part",
        'id = "listening"\nlabel = "Listen"\ncues = ["listen"]\nstar_part = "ending"',
        "key_points.listening.star_part",
        "not one of situation, task, action, result",
    ),
    (
        "label-with-escape",
        'id = "listening"\nlabel = "Listen \\u001b[31m"\ncues = ["listen"]',
        "key_points.listening.label",
        "control character",
    ),
]


@pytest.mark.parametrize(
    ("point", "field", "words"),
    [case[1:] for case in KEY_POINT_CASES],
    ids=[case[0] for case in KEY_POINT_CASES],
)
def test_key_point_errors_name_file_question_field(
    tmp_path: Path, point: str, field: str, words: str
) -> None:
    question = (
        '\n[[questions]]\nid = "angry-caller"\ntext = "Q?"\ncategory = "general"\n'
        f"\n[[questions.key_points]]\n{point}\n"
    )
    path = write(tmp_path, "broken.toml", bank_text("mini", question))
    with pytest.raises(UserError) as info:
        load_bank(path)
    assert_names(str(info.value), str(path), "question 'angry-caller'", f"field '{field}'", words)


def test_examples_and_example_answer_are_read(tmp_path: Path) -> None:
    question = (
        '\n[[questions]]\nid = "angry-caller"\ntext = "Q?"\ncategory = "general"\n'
        'example_answer = """I would listen first.\nThen I would fix it."""\n'
        '\n[[questions.key_points]]\nid = "listening"\nlabel = "Listen"\ncues = ["listen"]\n'
        'examples = ["I let them talk.", "I hear them out first."]\n'
    )
    bank = load_bank(write(tmp_path, "ok.toml", bank_text("mini", question)))
    q = bank.questions[0]
    assert q.example_answer == "I would listen first.\nThen I would fix it."
    assert q.key_points[0].examples == ("I let them talk.", "I hear them out first.")


def test_deeply_nested_toml_is_one_sentence(tmp_path: Path) -> None:
    path = write(tmp_path, "deep.toml", "x = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(UserError, match="nested too deeply"):
        load_bank(path)


def test_duplicate_question_ids(tmp_path: Path) -> None:
    twice = GOOD_QUESTION.format(qid="angry-caller", category="scenario")
    path = write(tmp_path, "dup.toml", bank_text("mini", twice, twice))
    with pytest.raises(UserError) as info:
        load_bank(path)
    assert_names(str(info.value), str(path), "question 'angry-caller'", "field 'id'", "two")


def test_duplicate_key_point_ids_within_a_question(tmp_path: Path) -> None:
    question = (
        '\n[[questions]]\nid = "angry-caller"\ntext = "Q?"\ncategory = "general"\n'
        '\n[[questions.key_points]]\nid = "listening"\nlabel = "A"\ncues = ["listen"]\n'
        '\n[[questions.key_points]]\nid = "listening"\nlabel = "B"\ncues = ["hear"]\n'
    )
    path = write(tmp_path, "dup.toml", bank_text("mini", question))
    with pytest.raises(UserError) as info:
        load_bank(path)
    assert_names(
        str(info.value), str(path), "question 'angry-caller'", "field 'key_points.listening.id'"
    )


def test_same_key_point_id_in_two_questions_is_fine(tmp_path: Path) -> None:
    text = bank_text(
        "mini",
        GOOD_QUESTION.format(qid="one", category="general"),
        GOOD_QUESTION.format(qid="two", category="general"),
    )
    assert len(load_bank(write(tmp_path, "ok.toml", text)).questions) == 2


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[bank]\nid = "mini"\ntitle = "T"\nversion = 2\n', "field 'version'"),
        ('[bank]\nid = "Mini Bank"\ntitle = "T"\n', "field 'id'"),
        ('[bank]\nid = "mini"\n', "field 'title'"),
        ('[bank]\ntitle = "T"\n', "field 'id'"),
        ('[bank]\nid = "mini"\ntitle = 3\n', "field 'title'"),
        ('title = "no bank table"\n', "'title'"),
        ('[[questions]]\nid = "q"\ntext = "Q?"\ncategory = "general"\n', "[bank]"),
        ('bank = "mini"\n', "[bank]"),
    ],
)
def test_bank_table_errors(tmp_path: Path, text: str, words: str) -> None:
    path = write(tmp_path, "broken.toml", text)
    with pytest.raises(UserError) as info:
        load_bank(path)
    assert_names(str(info.value), str(path), words)


def test_unknown_top_level_key(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.toml", 'author = "me"\n' + bank_text())
    with pytest.raises(UserError) as info:
        load_bank(path)
    assert_names(str(info.value), str(path), "'author'", "not known")


def test_empty_bank(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.toml", '[bank]\nid = "mini"\ntitle = "Mini"\n')
    with pytest.raises(UserError) as info:
        load_bank(path)
    assert_names(str(info.value), str(path), "no questions")


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    text = '[bank]\nid = "mini"\ntitle = "Mini"\n\n[[questions]]\nid = "q\n'
    path = write(tmp_path, "broken.toml", text)
    with pytest.raises(UserError) as info:
        load_bank(path)
    assert_names(str(info.value), str(path), "not valid TOML")
    assert re.search(r"line 6\b", str(info.value))


def test_unreadable_files(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(UserError) as info:
        load_bank(missing)
    assert_names(str(info.value), str(missing), "does not exist")

    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00bank")
    with pytest.raises(UserError) as info:
        load_bank(binary)
    assert_names(str(info.value), str(binary), "UTF-8")

    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(UserError) as info:
        load_bank(folder)
    assert_names(str(info.value), str(folder), "folder")


# --- library: find, --questions and duplicate banks ---------------------------------


def make_library(tmp_path: Path) -> Library:
    """Two extra banks that share the id ``angry-caller``; one also has ``pricing``."""
    folder = tmp_path / "banks"
    folder.mkdir()
    write(
        folder,
        "retail.toml",
        bank_text(
            "retail",
            GOOD_QUESTION.format(qid="angry-caller", category="scenario"),
            GOOD_QUESTION.format(qid="pricing", category="company"),
        ),
    )
    write(folder, "phones.toml", bank_text("phones"))
    write(folder, "notes.txt", "not a bank")
    return load_library([folder])


def test_find_by_id_and_by_bank_slash_id(tmp_path: Path) -> None:
    library = make_library(tmp_path)
    assert [b.id for b in library.banks][-2:] == ["phones", "retail"]
    pricing = library.find("pricing")
    assert pricing.bank_id == "retail" and pricing.category == "company"
    assert library.find(" retail/pricing ") is pricing
    assert library.find("phones/angry-caller").bank_id == "phones"
    assert library.bank("phones").path.name == "phones.toml"


def test_ambiguous_id_asks_for_bank_slash_id(tmp_path: Path) -> None:
    library = make_library(tmp_path)
    with pytest.raises(UserError) as info:
        library.find("angry-caller")
    assert_names(str(info.value), "BANK/ID", "phones/angry-caller", "retail/angry-caller")


def test_unknown_id_suggests_close_ids(tmp_path: Path) -> None:
    library = make_library(tmp_path)
    with pytest.raises(UserError) as info:
        library.find("pricng")
    assert_names(str(info.value), "'pricng'", "did you mean", "pricing")
    with pytest.raises(UserError) as info:
        library.find("retail/angry-callr")
    assert_names(str(info.value), "'angry-callr'", "retail", "angry-caller")
    with pytest.raises(UserError) as info:
        library.find("zzzzzzzzzzzz")
    assert_names(str(info.value), "zzzzzzzzzzzz", "questions list")


def test_unknown_bank(tmp_path: Path) -> None:
    library = make_library(tmp_path)
    with pytest.raises(UserError) as info:
        library.find("hotels/pricing")
    assert_names(str(info.value), "'hotels'", "retail", "phones", "customer-service")
    with pytest.raises(UserError):
        library.bank("hotels")


def test_questions_file_path_is_added(tmp_path: Path) -> None:
    path = write(tmp_path, "solo.toml", bank_text("solo"))
    library = load_library([path])
    ids = [b.id for b in library.banks]
    assert ids[-1] == "solo" and "customer-service" in ids
    assert library.find("solo/angry-caller").text == "How would you calm an angry caller?"


def test_missing_questions_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(UserError) as info:
        load_library([missing])
    assert_names(str(info.value), str(missing), "does not exist")


def test_folder_without_banks(tmp_path: Path) -> None:
    with pytest.raises(UserError) as info:
        load_library([tmp_path])
    assert_names(str(info.value), str(tmp_path), ".toml")


def test_duplicate_bank_ids_are_an_error(tmp_path: Path) -> None:
    first = write(tmp_path, "a.toml", bank_text("same"))
    second = write(tmp_path, "b.toml", bank_text("same"))
    with pytest.raises(UserError) as info:
        load_library([first, second])
    assert_names(str(info.value), "'same'", str(first), str(second))


def test_extra_bank_reusing_the_bundled_id_is_an_error(tmp_path: Path) -> None:
    clash = write(tmp_path, "clash.toml", bank_text("customer-service"))
    with pytest.raises(UserError) as info:
        load_library([clash])
    assert_names(str(info.value), "'customer-service'", str(clash), str(BUNDLED))


def test_bundled_file_passed_again_is_read_once() -> None:
    library = load_library([BUNDLED, bundled_questions_dir()])
    assert [b.id for b in library.banks] == [b.id for b in load_library().banks]


def test_bad_bank_in_a_folder_names_that_file(tmp_path: Path) -> None:
    write(tmp_path, "good.toml", bank_text("good"))
    bad = write(tmp_path, "bad.toml", bank_text("bad", one_question(category='"x"')))
    with pytest.raises(UserError) as info:
        load_library([tmp_path])
    assert_names(str(info.value), str(bad), "question 'angry-caller'", "field 'category'")


def test_validate_path_file_and_folder(tmp_path: Path) -> None:
    assert [b.id for b in validate_path(BUNDLED)] == ["customer-service"]
    assert "customer-service" in [b.id for b in validate_path(bundled_questions_dir())]
    write(tmp_path, "one.toml", bank_text("one"))
    write(tmp_path, "two.toml", bank_text("two"))
    assert [b.id for b in validate_path(tmp_path)] == ["one", "two"]
    write(tmp_path, "three.toml", bank_text("one"))
    with pytest.raises(UserError, match="Two question banks"):
        validate_path(tmp_path)
    with pytest.raises(UserError, match="does not exist"):
        validate_path(tmp_path / "missing.toml")
