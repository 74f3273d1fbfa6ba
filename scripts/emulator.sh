#!/usr/bin/env bash
# Start the local emulator in the background (returns once it answers) or stop it (returns once it has exited).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/.dataplatforms/emulator"
emulator="$root/.venv/bin/dataplatforms-emulator"
case "${1:?usage: emulator.sh start|stop}" in
  start) exec "$emulator" start --port "${EMULATOR_PORT:-8790}" --data-dir "$data" \
           --provision-seconds "${EMULATOR_PROVISION_SECONDS:-3}" ;;
  stop) exec "$emulator" stop --data-dir "$data" ;;
  *) echo "usage: emulator.sh start|stop" >&2; exit 2 ;;
esac
