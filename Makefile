.PHONY: app test check bench bench-quick bench-content
app:        ; bash scripts/app.sh
test:       ; bash scripts/test.sh
check:      ; bash scripts/check.sh
bench:      ; .venv/bin/python -m benchmarks
bench-quick: ; .venv/bin/python -m benchmarks --quick
bench-content: ; .venv/bin/python -m benchmarks.content
