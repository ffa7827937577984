"""Natural speech reads as sentences, however it is said; bare lists of buzzwords do not.

Real answers lost all their points when the list check (`find_prose`) took them
for lists: spoken fillers ("like", "actually") were left out before the check,
and a clause needed a pronoun nearby ("last spring our stockroom was chaos").
The check now looks for what a list lacks: glue between content words and
verbs with their subjects or objects.
"""

from __future__ import annotations

import pytest

from voice_mock.analysis.sentences import find_prose
from voice_mock.analysis.tokens import VOCAL_FILLERS


def prose_of(text: str, fillers: tuple[str, ...] = ()) -> tuple[float, bool]:
    """(share in sentences, reads as a list); ``fillers`` are the words the filler check
    marked (vocal ones and spoken ones such as "like"), as the report passes them."""
    words = text.split()
    marked = set(VOCAL_FILLERS) | set(fillers)
    prose = find_prose(words, frozenset(i for i, w in enumerate(words) if w in marked))
    return prose.share, prose.reads_as_list


SPEECH = [
    # spoken fillers between the words, marked as fillers by the delivery checks
    (
        "like last spring our stockroom was like total chaos and actually nobody knew "
        "where anything was",
        ("like", "actually"),
    ),
    (
        "so basically the till went down on a saturday and the queue was out the door",
        ("basically",),
    ),
    # no pronoun anywhere: a past-tense verb with its subject holds the clause
    ("one wet friday a young dad came in for a tap washer", ()),
    ("the manager wanted the returns done by five so got stuck in and cleared them", ()),
    # a verb in -s after its subject
    ("honestly the customer comes first always and the team too", ()),
    # slang and hedges
    ("kinda just kept calm and sorted it i guess", ("kinda",)),
    ("gonna be honest the rota was a mess so sorted it out with the others", ()),
    # contractions instead of pronouns
    ("the builder who'd always paid cash wanted to keep doing that", ()),
]


@pytest.mark.parametrize(("text", "fillers"), SPEECH, ids=[t[:30] for t, _ in SPEECH])
def test_natural_speech_reads_as_sentences(text: str, fillers: tuple[str, ...]) -> None:
    share, as_list = prose_of(text, fillers)
    assert not as_list
    assert share >= 0.9


LISTS = [
    "teamwork communication empathy patience reliability punctuality",
    # spoken glue around the buzzwords does not make them sentences
    "like teamwork like communication like empathy like patience",
    "um customer focus um problem solving um attention to detail um teamwork",
    "you know teamwork communication skills customer satisfaction problem solving",
    "actually basically teamwork empathy listening skills conflict resolution",
    "kinda teamwork sorta communication kinda empathy sorta patience",
    # plurals that could be verbs in -s, with nothing before them to be their subject
    "communication skills teamwork needs analysis customer comes first attitude",
]


@pytest.mark.parametrize("text", LISTS, ids=[t[:30] for t in LISTS])
def test_buzzword_lists_still_read_as_lists(text: str) -> None:
    share, as_list = prose_of(text, ("like", "actually", "basically", "kinda", "sorta"))
    assert as_list
    assert share <= 0.2


def test_an_object_pronoun_after_glue_is_no_verb() -> None:
    # "them" after a content word is the object of a verb ("cleared them"); after "so"
    # it shows no verb, so a fragment with no verb stays outside the sentences
    assert prose_of("so them a replacement and the tracking number straight away") == (0.0, True)


def test_a_list_tacked_onto_a_sentence_with_fillers_is_still_a_list() -> None:
    said = "like i always listen first and actually let them finish"
    words = [*said.split(), *LISTS[0].split()]
    prose = find_prose(
        words, frozenset(i for i, w in enumerate(words) if w in {"like", "actually"})
    )
    assert all(prose.mask[:6])
    assert not any(prose.mask[-6:])  # the six buzzwords
