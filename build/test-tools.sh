#!/usr/bin/env bash
# Installs the system tools some tests run, when they are missing: promtool (Prometheus' own format
# checker, Debian package prometheus), and Chromium with its WebDriver (packages chromium and
# chromium-driver) for the status page's browser test. mvn verify runs this first (root pom, validate phase), so the
# README's test command works on a fresh Debian machine. Without root or apt-get it only says what
# is missing; the tests that need a tool then fail with the same advice (they never skip).
set -euo pipefail

missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "test-tools: the tests need the Debian packages ${missing[*]}; install them with" \
      "apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 0
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "test-tools: the tests need the Debian packages ${missing[*]}; this machine has no apt-get" >&2
  exit 0
fi
echo "test-tools: installing ${missing[*]} for the tests" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
