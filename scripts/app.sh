#!/usr/bin/env bash
# Set everything up (if needed) and start voice-mock; arguments go to voice-mock.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh app
exec .venv/bin/voice-mock "$@"
