#!/usr/bin/env bash
# Deploy (up) or destroy (down) an example stack against the local emulator.
# Uses the Pulumi CLI when one is on PATH or can be installed into ./.pulumi; otherwise the
# project's engine harness (tests/harness), which drives the real dynamic-provider host.
set -euo pipefail
action=${1:?usage: deploy.sh up|down [example]}
example=${2:-quickstart}
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
data="$root/.dataplatforms"
stack_dir="$data/stacks/$example"
pulumi_version="3.272.0"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-dataplatforms-local}"
eval "$("$venv/bin/dataplatforms-emulator" env --port "${EMULATOR_PORT:-8790}")"

find_cli() {
  if command -v pulumi >/dev/null 2>&1; then command -v pulumi; return; fi
  if [ -x "$root/.pulumi/bin/pulumi" ]; then echo "$root/.pulumi/bin/pulumi"; return; fi
  if command -v curl >/dev/null 2>&1 && \
     curl -fsSL --max-time 20 https://get.pulumi.com 2>/dev/null | \
     sh -s -- --version "$pulumi_version" --install-root "$root/.pulumi" --no-edit-path >/dev/null 2>&1 && \
     [ -x "$root/.pulumi/bin/pulumi" ]; then
    echo "$root/.pulumi/bin/pulumi"; return
  fi
  return 1
}

# An example may name stack secrets and environment for the emulator run in emulator.env.
stack_secrets=""
if [ -f "$root/examples/$example/emulator.env" ]; then
  # shellcheck source=/dev/null
  . "$root/examples/$example/emulator.env"
fi

mkdir -p "$stack_dir"
if cli=$(find_cli); then
  export PULUMI_HOME="$data/pulumi-home"
  backend="file://$data/backend"
  cd "$root/examples/$example"
  "$cli" login --non-interactive "$backend" >/dev/null
  "$cli" stack select --create --non-interactive dev >/dev/null
  "$cli" config set --secret eloq:apiKey "$ELOQ_API_KEY" >/dev/null
  "$cli" config set eloq:baseUrl "$ELOQ_BASE_URL" >/dev/null
  for pair in $stack_secrets; do "$cli" config set --secret "${pair%%=*}" "${pair#*=}" >/dev/null; done
  if [ "$action" = up ]; then "$cli" up --yes --non-interactive; else "$cli" destroy --yes --non-interactive; fi
else
  echo "No Pulumi CLI available (not on PATH, installer unreachable): running $example through the engine harness."
  harness_action=$([ "$action" = up ] && echo up || echo destroy)
  cd "$root"
  secret_args=()
  for pair in $stack_secrets; do secret_args+=(--secret "$pair"); done
  "$venv/bin/python" -m tests.harness "$harness_action" --program "examples/$example" --stack-dir "$stack_dir" \
    --secret "eloq:apiKey=$ELOQ_API_KEY" --config "eloq:baseUrl=$ELOQ_BASE_URL" "${secret_args[@]}"
fi
