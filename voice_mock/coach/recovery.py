"""Finishing answers a crash or a missing model left behind, without ever losing one.

Run by both fronts at start (the CLI before a practice turn, the app once its
model is loaded). The rules, in order of importance:

- A session that holds any audio or any transcript is never deleted.
- A session another running process (or this one) is still recording is
  left alone (`Store.unfinished` skips it).
- A WAV cut off mid-write gets its header sizes recomputed from the file
  size, then it is transcribed, analysed and saved like a normal answer.
- A session with a transcript but no (readable) report, such as one saved
  by ``analyze transcript.json --save`` whose report was damaged, is
  analysed again from that transcript; no model is needed.
- Without a model, crashed recordings become ``untranscribed`` (their audio
  is safe) and wait for one.
- A recording too short to transcribe is saved as an answer with no words,
  so it is not retried at every start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from voice_mock.config import Settings
from voice_mock.errors import UserError
from voice_mock.transcript import Transcript

if TYPE_CHECKING:
    from voice_mock.analysis.meaning import Embedder
    from voice_mock.bank import Question
    from voice_mock.store import SessionDraft, Store

EMPTY_WAV_BYTES = 44
"""A WAV header and no samples: nothing was recorded."""

Outcome = Literal["done", "untranscribed", "discarded", "failed"]


@dataclass(frozen=True, slots=True)
class Recovered:
    """What recovery did with one session."""

    session_id: str
    status: Outcome
    """"done", "untranscribed" (no model yet), "discarded" (nothing was recorded) or "failed"."""
    message: str | None = None


def _holds_nothing(draft: SessionDraft) -> bool:
    """True only when the session has no audio samples and no transcript at all."""
    if draft.transcript_path.is_file():
        return False
    for audio in draft.folder.glob("answer.*"):
        try:
            if audio.stat().st_size > EMPTY_WAV_BYTES:
                return False
        except OSError:
            return False
    return True


def recover_unfinished(
    store: Store,
    settings: Settings,
    model_path: Path | None,
    *,
    find_question: Callable[[str | None], Question | None],
    meaning: Embedder | None = None,
) -> list[Recovered]:
    """Finish what `store.unfinished()` lists; see the module docstring for the rules.

    `find_question` looks a session's ``bank/id`` up in the loaded banks
    (with the user's ``--questions`` banks), so an answer to a custom-bank
    question is judged against that question, not as a free answer.
    """
    from voice_mock.audio.decode import MIN_DURATION_S
    from voice_mock.audio.recorder import repair_wav_header
    from voice_mock.coach.analysis import analyse_saved, build_report

    out: list[Recovered] = []
    for draft in store.unfinished():
        if _holds_nothing(draft):
            try:
                store.delete(draft.id)
            except UserError as exc:
                out.append(Recovered(draft.id, "failed", str(exc)))
                continue
            out.append(Recovered(draft.id, "discarded", "No audio had been recorded."))
            continue
        audio = draft.audio_path
        has_audio = audio.is_file() and audio.stat().st_size > EMPTY_WAV_BYTES
        try:
            if has_audio and audio.suffix.lower() == ".wav":
                repair_wav_header(audio)
        except OSError as exc:
            out.append(Recovered(draft.id, "failed", f"{audio} could not be repaired: {exc}."))
            continue
        has_transcript = draft.transcript_path.is_file()
        if model_path is None and not has_transcript:
            if draft.status == "recording":
                try:
                    store.finish(draft, transcript=None, report=None)
                except UserError as exc:
                    out.append(Recovered(draft.id, "failed", str(exc)))
                    continue
            out.append(Recovered(draft.id, "untranscribed", None))
            continue
        question = find_question(draft.qualified_question_id)
        try:
            length = _duration(audio) if has_audio else None
            if not has_transcript and length is not None and length < MIN_DURATION_S:
                # Too short to hold a word (a kill right after the start): an empty answer.
                transcript = Transcript((), length)
                report = build_report(transcript, question, settings, None, draft.phone, meaning)
            else:
                result = analyse_saved(
                    draft,
                    question=question,
                    settings=settings,
                    model_path=model_path,
                    meaning=meaning,
                )
                transcript, report = result.transcript, result.report
            store.finish(draft, transcript=transcript, report=report)
        except UserError as exc:
            out.append(Recovered(draft.id, "failed", str(exc)))
            continue
        out.append(Recovered(draft.id, "done", None))
    return out


def _duration(audio: Path) -> float | None:
    from voice_mock.store.folders import wav_duration

    return wav_duration(audio) if audio.is_file() else None
