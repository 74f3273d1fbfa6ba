#!/usr/bin/env bash
# Build the codegen-only language host (scripts/codegen-host/main.go) into .pulumi/codegen as
# pulumi-language-python and pulumi-language-nodejs, for `pulumi package gen-sdk` (`make sdks`,
# tests/test_gen_sdk.py). It stands in for the official language hosts, which the Go module
# proxy does not serve here; it generates SDKs and runs no programs, so .pulumi/codegen goes first
# on PATH only for `pulumi package gen-sdk`.
#
# Built from Go modules against the pinned pkg/v3 in a module of its own (.pulumi/codegen/build);
# skipped when the binaries exist and .pulumi/codegen/host.version records this pin and source.
# Prints one line saying what it did. Exits 1 when there is no Go toolchain or the build fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version="${PULUMI_VERSION_PIN:-3.274.1}"
source_file="$root/scripts/codegen-host/main.go"
dir="$root/.pulumi/codegen"
build="$dir/build"
stamp="$dir/host.version"
hosts=(pulumi-language-python pulumi-language-nodejs)
mkdir -p "$dir"

wanted="v$version $(sha256sum "$source_file" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ] && [ -x "$dir/${hosts[0]}" ] && [ -x "$dir/${hosts[1]}" ]; then
  echo "codegen host: cached in .pulumi/codegen (pkg/v3 v$version)"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "codegen host: no Go toolchain to build it" >&2
  exit 1
fi

started=$(date +%s)
mkdir -p "$build/codegen-host"
log="$build/build.log"
: >"$log"
export GOFLAGS="${GOFLAGS:-} -mod=mod" CGO_ENABLED=0
# `set -e` does not apply inside a condition: chain the steps with &&.
if ! (
  cd "$build" &&
  { [ -f go.mod ] || printf 'module dataplatforms.local/codegen-host\n\ngo 1.26\n' >go.mod; } &&
  cp "$source_file" codegen-host/main.go &&
  go get "github.com/pulumi/pulumi/pkg/v3@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version" &&
  go build -trimpath -tags osusergo,grpcnotrace -o "$dir/${hosts[0]}.new" ./codegen-host
) >>"$log" 2>&1; then
  rm -f "$dir/${hosts[0]}.new"
  echo "codegen host: building against pkg/v3 v$version failed; see $log" >&2
  exit 1
fi
rm -f "$stamp"
mv "$dir/${hosts[0]}.new" "$dir/${hosts[0]}"
ln -sf "${hosts[0]}" "$dir/${hosts[1]}"
echo "$wanted" >"$stamp"
echo "codegen host: built ${hosts[*]} (pkg/v3 v$version) into .pulumi/codegen in $(( $(date +%s) - started )) s"
