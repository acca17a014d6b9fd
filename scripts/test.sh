#!/usr/bin/env bash
# Runs the whole test suite inside a private D-Bus session with an unlocked
# gnome-keyring, under a temporary HOME, so the keyring tests use a real
# Secret Service and nothing touches the operator's own keyring or files.
set -euo pipefail

if [[ "${DAGDESK_TEST_SESSION:-}" != "1" ]]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  mkdir -m 0700 -p "$scratch/home" "$scratch/runtime"
  export HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/runtime"
  export XDG_DATA_HOME="$scratch/home/.local/share"
  export XDG_CONFIG_HOME="$scratch/home/.config"
  export DAGDESK_TEST_SESSION=1
  if command -v dbus-run-session >/dev/null; then
    exec dbus-run-session -- bash "$0" "$@"
  fi
  echo "dbus-run-session not found: install dbus-x11 (see README)" >&2
  exit 1
fi

if command -v gnome-keyring-daemon >/dev/null; then
  # The daemon prints the variables the clients need; the password unlocks
  # the login keyring it creates.
  eval "$(printf 'dagdesk-test' | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  export DAGDESK_TEST_KEYRING=1
else
  echo "gnome-keyring-daemon not found: install gnome-keyring (see README)" >&2
  exit 1
fi

# Types and the import boundaries first: a breach fails fast.
if [[ $# -eq 0 ]]; then
  npx tsc --noEmit -p tsconfig.json
  npx eslint --max-warnings 0 .
fi
exec npx vitest run "$@"
