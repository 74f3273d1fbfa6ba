#!/usr/bin/env bash
# Deploy (up) or destroy (down) an example stack against the local emulator with the Pulumi CLI
# that `make pulumi` recorded (scripts/cli_stack.py); without one, say how to get one and fail.
set -euo pipefail
action=${1:?usage: deploy.sh up|down [example]}
example=${2:-quickstart}
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-dataplatforms-local}"
cd "$root"
[ -f "examples/$example/Pulumi.yaml" ] || { echo "no example named $example under examples/" >&2; exit 2; }

if [ ! -s .pulumi/cli-path ]; then
  echo "deploy.sh: no Pulumi CLI (make pulumi found none): install one (https://www.pulumi.com/docs/install/) or Go, then run make $action again" >&2
  exit 1
fi
exec "$venv/bin/python" -m scripts.cli_stack "$([ "$action" = up ] && echo up || echo destroy)" "examples/$example"
