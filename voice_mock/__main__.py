"""``python -m voice_mock``: the same as the ``voice-mock`` command."""

from voice_mock.cli import main

raise SystemExit(main())
