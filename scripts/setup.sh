#!/usr/bin/env bash
# Set up everything voice-mock needs on Debian/Ubuntu; safe to run any number of times.
#   scripts/setup.sh        runtime: system packages, .venv, the app
#   scripts/setup.sh dev    the same plus test tools, the Korean test model, PulseAudio
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-app}"

packages=(python3 python3-venv python3-dev espeak-ng libportaudio2 alsa-utils libsndfile1 libasound2-plugins)
if [ "$mode" = dev ]; then
  packages+=(pulseaudio pulseaudio-utils sox tmux)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "voice-mock setup: installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python="${PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "voice-mock needs Python 3.11 or newer; $("$python" --version) was found." >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  echo "voice-mock setup: creating .venv"
  "$python" -m venv .venv
fi

extra=""
[ "$mode" = dev ] && extra="[dev]"
stamp=".venv/.voice-mock-installed-${mode}"
digest=$(cat pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
  echo "voice-mock setup: installing Python packages ($mode)"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".${extra}"
  echo "$digest" > "$stamp"
fi
