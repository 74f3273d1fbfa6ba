#!/usr/bin/env bash
# Make a Pulumi CLI available to `make up` and the tests, and record its path in .pulumi/cli-path.
#
# In order: a `pulumi` >= 3.200 on PATH; the pinned version already in .pulumi/bin; the official
# installer into .pulumi; a build of the pinned version from Go modules into .pulumi/bin (the CLI
# with its version stamped, plus pulumi-resource-pulumi-python and pulumi-language-python-exec from
# the sdk module, and pulumi-language-python when the Go module proxy serves it).
# Prints one line saying what it did. Exits 1 (and removes .pulumi/cli-path) when none works.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version="${PULUMI_VERSION_PIN:-3.274.1}"
dir="$root/.pulumi"
bin="$dir/bin"
record="$dir/cli-path"
mkdir -p "$dir"
rm -f "$record"

# Succeeds when $1 runs and reports a version >= 3.200.
recent_enough() {
  local v major minor
  v=$("$1" version 2>/dev/null) || return 1
  v=${v#v}
  major=${v%%.*}; minor=${v#*.}; minor=${minor%%.*}
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  (( major > 3 || (major == 3 && minor >= 200) ))
}

use() {  # use PATH WHAT
  echo "$1" >"$record"
  echo "pulumi: $2 ($("$1" version))"
  exit 0
}

if on_path=$(command -v pulumi 2>/dev/null) && [ "$on_path" != "$bin/pulumi" ] && recent_enough "$on_path"; then
  use "$on_path" "using $on_path from PATH"
fi

if [ -x "$bin/pulumi" ] && [ "$("$bin/pulumi" version 2>/dev/null)" = "v$version" ] \
   && [ -x "$bin/pulumi-resource-pulumi-python" ]; then
  use "$bin/pulumi" "cached in .pulumi/bin"
fi

if command -v curl >/dev/null 2>&1 && \
   curl -fsSL --max-time 15 https://get.pulumi.com 2>/dev/null | \
   sh -s -- --version "$version" --install-root "$dir" --no-edit-path >/dev/null 2>&1 && \
   recent_enough "$bin/pulumi"; then
  use "$bin/pulumi" "installed $version with the official installer into .pulumi"
fi

if ! command -v go >/dev/null 2>&1; then
  echo "pulumi: no CLI on PATH, the installer is unreachable and there is no Go toolchain to build one" >&2
  exit 1
fi

# Build from Go modules in a throwaway module: `go install pkg@version` refuses pkg/v3 (its go.mod
# has replace directives), `go get -tool` keeps the requirement.
started=$(date +%s)
build="$dir/build"
mkdir -p "$build" "$bin"
log="$build/build.log"
: >"$log"
export GOFLAGS="${GOFLAGS:-} -mod=mod" CGO_ENABLED=0
# Each step chained with &&: `set -e` does not apply inside a subshell that is the left side of `||`.
(
  cd "$build" &&
  { [ -f go.mod ] || printf 'module dataplatforms.local/pulumi-cli\n\ngo 1.26\n' >go.mod; } &&
  go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version" &&
  go get "github.com/pulumi/pulumi/sdk/v3@v$version" &&
  go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
    -o "$bin/pulumi.new" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
) >>"$log" 2>&1 || { echo "pulumi: building v$version from Go modules failed; see $log" >&2; exit 1; }
sdk=$(cd "$build" && go list -m -f '{{.Dir}}' "github.com/pulumi/pulumi/sdk/v3")
# The module cache drops executable bits: install the scripts with mode 0755.
install -m 0755 "$sdk/python/dist/pulumi-resource-pulumi-python" "$bin/pulumi-resource-pulumi-python"
install -m 0755 "$sdk/python/cmd/pulumi-language-python-exec" "$bin/pulumi-language-python-exec"
langhost="not served by the Go module proxy; Automation API inline programs need none"
if (cd "$build" && GOBIN="$bin" timeout 300 go install \
      "github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3@v$version") >>"$log" 2>&1; then
  langhost="built"
fi
mv "$bin/pulumi.new" "$bin/pulumi"
echo "$bin/pulumi" >"$record"
echo "pulumi: built $("$bin/pulumi" version) from Go modules into .pulumi/bin in $(( $(date +%s) - started )) s (pulumi-language-python: $langhost)"
