#!/usr/bin/env bash
# Make the Pulumi YAML language host (pulumi-language-yaml) available to the CLI that `make pulumi`
# chose, for `runtime: yaml` programs (examples/yaml, tests/test_native_yaml.py).
#
# In order: a `pulumi-language-yaml` on PATH; the pinned version already in .pulumi/bin (recorded in
# .pulumi/pulumi-language-yaml.version); a build of the pinned version from Go modules into
# .pulumi/bin, beside the CLI that scripts/pulumi.sh builds or installs there (the CLI looks for its
# language hosts beside itself, then on PATH; scripts/cli_stack.py puts .pulumi/bin last on PATH
# for a CLI found elsewhere).
# Prints one line saying what it did. Exits 1 when none can be had; the CLI's own setup
# (scripts/pulumi.sh) does not depend on it, and the tests that need the host then fail when a Go
# toolchain is here (tests/real_cli.py `require_yaml_host`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version="${PULUMI_YAML_VERSION_PIN:-1.25.0}"
dir="$root/.pulumi"
bin="$dir/bin"
host="$bin/pulumi-language-yaml"
stamp="$dir/pulumi-language-yaml.version"
mkdir -p "$dir"

if on_path=$(command -v pulumi-language-yaml 2>/dev/null) && [ "$on_path" != "$host" ]; then
  echo "pulumi-language-yaml: using $on_path from PATH"
  exit 0
fi

if [ -x "$host" ] && [ "$(cat "$stamp" 2>/dev/null)" = "v$version" ]; then
  echo "pulumi-language-yaml: v$version cached in .pulumi/bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "pulumi-language-yaml: none on PATH and no Go toolchain to build one" >&2
  exit 1
fi

# Build from Go modules in a throwaway module of its own: pulumi-yaml needs the pulumi pkg/sdk
# versions its go.mod names (v1.25.0 does not compile against the CLI's v3.274.1), so it cannot
# share the CLI's module in .pulumi/build.
started=$(date +%s)
build="$dir/build-yaml"
mkdir -p "$build" "$bin"
log="$build/build.log"
: >"$log"
export GOFLAGS="${GOFLAGS:-} -mod=mod" CGO_ENABLED=0
package="github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
# `set -e` does not apply inside a condition: chain the steps with &&.
if ! (
  cd "$build" && rm -f go.mod go.sum &&
  printf 'module dataplatforms.local/pulumi-language-yaml\n\ngo 1.26\n' >go.mod &&
  go get -tool "$package@v$version" &&
  go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$version" \
    -o "$host.new" "$package"
) >>"$log" 2>&1; then
  rm -f "$host.new"
  kept=""
  [ -x "$host" ] && kept=" (the $(cat "$stamp" 2>/dev/null || echo unknown) build stays in .pulumi/bin, and the CLI uses it)"
  echo "pulumi-language-yaml: building v$version from Go modules failed; see $log$kept" >&2
  exit 1
fi
rm -f "$stamp"
mv "$host.new" "$host"
echo "v$version" >"$stamp"
echo "pulumi-language-yaml: built v$version from Go modules into .pulumi/bin in $(( $(date +%s) - started )) s"
