"""What an export holds: verdicts and advice, the focus list, hints, STAR, delivery, phone
advice and a timestamped transcript with its marks; several sessions in one document."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.app import build_app, save_session, services_for
from tests.support.review import STORY_WORDS, WEAK_WORDS
from voice_mock.errors import UserError
from voice_mock.store import REPORT_FILE

SERVICE = "customer-service/what-is-customer-service"
STORY = "customer-service/difficult-customer"


@pytest.fixture
def coach_and_records() -> tuple[object, list[object]]:
    app, library, store = build_app(services_for())
    first = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    weak = save_session(store, library, question=SERVICE, words=WEAK_WORDS, started_at=first)
    story = save_session(store, library, question=STORY, words=STORY_WORDS,
                         started_at=first + timedelta(hours=1))  # fmt: skip
    return app.coach, [weak, story]


def test_markdown_holds_the_judgement_the_advice_and_the_marked_transcript(
    coach_and_records: tuple[object, list[object]],
) -> None:
    coach, (weak, _story) = coach_and_records
    text = coach.export_text([weak], "md")  # type: ignore[attr-defined]
    assert "## Work on first" in text
    assert "1. **Key points**: Before answering again" in text
    assert '**Filler words**: Replace "um" with a silent pause' in text
    assert "| fillers | 7 (42.4 per min): um x4" in text and "**too many** (work on)" in text
    assert "| hedges | i think x1, i guess x1 | |" in text
    assert "Filler bursts: 0:04: um um like um you know basically um" in text
    assert '- [ ] Listen to what the customer wants and worries about: e.g. "' in text
    assert "## Advice" in text and "- **Work on**, Length: At 10 s the answer is shorter" in text
    assert "## Went well" in text and "- Pace: 152 words a minute" in text
    assert "Marks: _filler_, ~~hedge~~, **key point made**" in text
    assert "- `0:04` _um_ so customer service is _um like_ being" in text
    assert "- `0:07` **polite** and _um you know_ helpful" in text
    assert "~~i think~~" in text


def test_a_story_export_names_the_missing_parts_with_starters_and_marks_the_parts(
    coach_and_records: tuple[object, list[object]],
) -> None:
    coach, (_weak, story) = coach_and_records
    text = coach.export_text([story], "md")  # type: ignore[attr-defined]
    assert '- [ ] Task: not heard; say what you had to achieve: "My job was to ..."' in text
    assert "- [ ] Result: not heard; say how it ended" in text
    assert "[S] **there was a time**" in text and "[A]" in text


def test_several_sessions_make_one_document(
    coach_and_records: tuple[object, list[object]],
) -> None:
    coach, records = coach_and_records
    text = coach.export_text(records, "md", title="2 practice answers")  # type: ignore[attr-defined]
    assert text.startswith("# 2 practice answers\n")
    assert text.count("\n## ") >= 2 and text.count("### Work on first") == 2


def test_an_old_report_is_exported_with_advice_in_markdown_and_json(
    coach_and_records: tuple[object, list[object]],
) -> None:
    coach, (weak, _story) = coach_and_records
    path = weak.folder / REPORT_FILE  # type: ignore[attr-defined]
    old = json.loads(path.read_text())
    for key in ("advice", "focus", "verdicts", "verdict_levels"):
        old.pop(key)
    path.write_text(json.dumps(old))
    markdown = coach.export_text([weak], "md")  # type: ignore[attr-defined]
    assert "## Work on first" in markdown and 'Replace "um" with a silent pause' in markdown
    data = json.loads(coach.export_text([weak], "json"))  # type: ignore[attr-defined]
    assert data["report"]["focus"] and data["report"]["advice"]
    assert {"metric", "level", "text"} == set(data["report"]["advice"][0])


def test_phone_answers_carry_their_phone_advice(tmp_path: Path) -> None:
    from voice_mock.analysis.report import analyze
    from voice_mock.analysis.saved import SavedReport
    from voice_mock.render.text import report_text
    from voice_mock.transcript import Transcript

    app, library, _store = build_app(services_for())
    fast = [(w, i * 0.25 + 0.5, i * 0.25 + 0.7) for i, (w, _, _) in enumerate(WEAK_WORDS)]
    words = [{"word": w, "start": s, "end": e, "conf": 1.0} for w, s, e in fast]
    transcript = Transcript.from_vosk([{"text": "", "result": words}])
    report = analyze(transcript, library.find(SERVICE), phone=True).to_dict()
    metrics = {a["metric"] for a in report["advice"]}
    assert {"phone_pace", "phone_dead_air"} <= metrics
    text = report_text(SavedReport.from_dict(report), app.coach.settings.thresholds)
    assert "Phone pace" in text and "fast for a phone line" in text


def test_an_export_never_replaces_a_file_without_asking(
    coach_and_records: tuple[object, list[object]], tmp_path: Path
) -> None:
    coach, (weak, _story) = coach_and_records
    target = tmp_path / "answer.md"
    coach.export([weak], target)  # type: ignore[attr-defined]
    first = target.read_text()
    target.write_text("mine")
    with pytest.raises(UserError, match="already exists"):
        coach.export([weak], target)  # type: ignore[attr-defined]
    assert target.read_text() == "mine"
    coach.export([weak], target, overwrite=True)  # type: ignore[attr-defined]
    assert target.read_text() == first
