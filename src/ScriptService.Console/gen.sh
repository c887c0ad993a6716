#!/usr/bin/env bash
# Regenerates src/gen/ (the TypeScript messages and service descriptor) from protos/scriptdsl/v1 with
# protoc-gen-es. protoc comes with the Grpc.Tools NuGet package that the .NET build restores; set
# PROTOC to use another. The output is committed, so building the bundle needs only npm.
set -euo pipefail
cd "$(dirname "$0")"
PROTOC=${PROTOC:-$(ls -1d "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/grpc.tools/*/tools/linux_x64/protoc 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PROTOC" ] || { echo "protoc not found: build src/ScriptService once (it restores Grpc.Tools) or set PROTOC" >&2; exit 1; }
rm -rf src/gen
mkdir -p src/gen
"$PROTOC" -I../../protos --plugin=protoc-gen-es=node_modules/.bin/protoc-gen-es \
  --es_out=src/gen --es_opt=target=ts,import_extension=js scriptdsl/v1/script_service.proto
