# Sourced by scripts/run and scripts/test: make sure .venv exists and matches pyproject.toml.
ensure_venv() {
  local python=${PYTHON:-}
  if [[ -z "$python" ]]; then
    for candidate in python3.11 python3; do
      if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
        python=$candidate; break
      fi
    done
  fi
  if [[ -z "$python" ]]; then
    echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)." >&2
    return 1
  fi
  if [[ ! -x .venv/bin/python ]]; then
    echo "==> creating .venv with $python"
    "$python" -m venv .venv
  fi
  local stamp=.venv/.kvsp-installed
  local want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [[ ! -f $stamp || "$(cat "$stamp")" != "$want" ]]; then
    echo "==> installing the platform and its dependencies into .venv"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e '.[test]'
    echo "$want" > "$stamp"
  fi
  scripts/i18n compile
}
