#!/usr/bin/env bash
# Runs every test of the project: the .NET test projects, then the interop tests that drive
# our server with other languages' gRPC clients. Installs the system packages those need.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet test ScriptDsl.sln --nologo

# gRPC interop: Debian's Python grpcio client against our server (installs what it needs).
bash tests/interop/run-python-interop.sh
