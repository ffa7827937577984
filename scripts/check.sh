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
# Two workers or more (one per core), tests spread over them; a module that does costly
# module-wide work stays on one worker (tests/conftest.py ONE_WORKER).
echo "== pytest";              python -m pytest -n auto --dist loadgroup "$@"
