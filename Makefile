# Two commands: `make demo` installs and starts the demo, `make test` runs the tests.
# Both need only a Python 3.12+ on PATH; everything else comes from the lock file.
PY := $(shell for p in python3.14 python3.13 python3.12 python3; do \
	$$p -c 'import sys; assert sys.version_info >= (3, 12); print(sys.executable)' 2>/dev/null && break; done)
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never

.PHONY: install demo test lint bench
install: .venv/.synced

$(UV):
	@test -n "$(PY)" || { echo "cypp needs Python 3.12 or newer on PATH (python3.12, python3.13 or python3)" >&2; exit 1; }
	$(PY) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PY)
	@touch $@

demo: install
	.venv/bin/cypp demo

test: install
	.venv/bin/python -m pytest

lint: install
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

bench: install
	.venv/bin/python -m bench
