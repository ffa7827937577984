#!/usr/bin/env bash
# Set everything up (if needed) and run every check and test. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
exec bash scripts/check.sh "$@"
