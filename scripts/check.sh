#!/usr/bin/env bash
# Every check: formatting, lint, types, the import contracts, and the whole test suite.
# Expects .venv to exist (scripts/test.sh creates it). Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff format --check"; ruff format --check voice_mock tests benchmarks
echo "== ruff check";          ruff check voice_mock tests benchmarks
echo "== mypy";                mypy
echo "== import contracts";    lint-imports
echo "== pytest";              python -m pytest "$@"
