#!/usr/bin/env bash
# Start (in the background) or stop the local emulator; `start` returns once it is healthy.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/.dataplatforms"
pidfile="$data/emulator.pid"
port="${EMULATOR_PORT:-8790}"
mkdir -p "$data"
case "${1:?usage: emulator.sh start|stop}" in
  start)
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then exit 0; fi
    "$root/.venv/bin/dataplatforms-emulator" serve --port "$port" --data-dir "$data/emulator" \
      --provision-seconds "${EMULATOR_PROVISION_SECONDS:-3}" >"$data/emulator.log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 100); do
      if "$root/.venv/bin/python" -c "import httpx,sys; httpx.get('http://127.0.0.1:$port/healthz').raise_for_status()" 2>/dev/null; then
        echo "emulator running on http://127.0.0.1:$port (log: .dataplatforms/emulator.log)"; exit 0
      fi
      sleep 0.2
    done
    echo "emulator did not become healthy; see $data/emulator.log" >&2; exit 1 ;;
  stop)
    if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; rm -f "$pidfile"; fi ;;
esac
