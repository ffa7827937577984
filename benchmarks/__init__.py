"""voice-mock's benchmarks: ``python -m benchmarks [--quick] [--out FILE]``.

Not part of the test suite's pass/fail; `tests/e2e/test_benchmarks_smoke.py` only
checks that the cheapest figures run and report in the expected shape.
"""
