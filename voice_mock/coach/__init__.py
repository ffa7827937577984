"""The application layer: the use cases both fronts call (see `coach.Coach`).

`services` holds the injectable hardware and engine factories, `turn` one
live practice turn, `analysis` the analysis of files and saved answers,
`recovery` the finishing of unfinished answers.
"""

from voice_mock.coach.coach import Coach, Export, ExportFormat
from voice_mock.coach.services import Player, Services, SpeakerChoice, play_from
from voice_mock.coach.states import ModelState, TurnState

__all__ = [
    "Coach",
    "Export",
    "ExportFormat",
    "ModelState",
    "Player",
    "Services",
    "SpeakerChoice",
    "TurnState",
    "play_from",
]
