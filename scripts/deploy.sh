#!/usr/bin/env bash
# Deploy (up) or destroy (down) an example stack against the local emulator with the Pulumi CLI
# that `make pulumi` recorded; where none could be had, through the engine harness (tests/harness).
set -euo pipefail
action=${1:?usage: deploy.sh up|down [example]}
example=${2:-quickstart}
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-dataplatforms-local}"
cd "$root"
[ -f "examples/$example/Pulumi.yaml" ] || { echo "no example named $example under examples/" >&2; exit 2; }

if [ -s .pulumi/cli-path ]; then
  exec "$venv/bin/python" -m scripts.cli_stack "$([ "$action" = up ] && echo up || echo destroy)" "examples/$example"
fi

echo "No Pulumi CLI could be had (see make pulumi): running $example through the engine harness instead."
eval "$("$venv/bin/dataplatforms-emulator" env --port "${EMULATOR_PORT:-8790}")"
args=()
while IFS='=' read -r kind pair; do args+=("--$kind" "$pair"); done < <(
  "$venv/bin/python" - "examples/$example" <<'PY'
import os, sys
from pathlib import Path
from scripts.cli_stack import EmulatorSettings, platform_config
settings = EmulatorSettings.of(Path(sys.argv[1]))
plain, secret = platform_config(os.environ)
for k, v in {**plain, **settings.config}.items(): print(f"config={k}={v}")
for k, v in {**secret, **settings.secrets}.items(): print(f"secret={k}={v}")
for k, v in settings.environment.items(): print(f"env={k}={v}")
PY
)
config=()
for ((i = 0; i < ${#args[@]}; i += 2)); do
  if [ "${args[i]}" = --env ]; then export "${args[i+1]}"; else config+=("${args[i]}" "${args[i+1]}"); fi
done
"$venv/bin/python" -m tests.harness "$([ "$action" = up ] && echo up || echo destroy)" \
  --program "examples/$example" --stack-dir ".dataplatforms/stacks/$example" "${config[@]}"
