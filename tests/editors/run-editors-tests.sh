#!/usr/bin/env bash
# The .csdsl TextMate grammar's test (grammar.test.mjs, node's test runner).
# Prints "editors: N passed, M failed" last; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
TAP=$(mktemp)
trap 'rm -f "$TAP"' EXIT
set +e
timeout 120 node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$TAP" grammar.test.mjs
STATUS=$?
set -e
PASSED=$(awk '/^# pass /{print $3}' "$TAP"); FAILED=$(awk '/^# fail /{print $3}' "$TAP")
PASSED=${PASSED:-0}; FAILED=${FAILED:-0}
if [[ $STATUS -ne 0 && $FAILED -eq 0 ]]; then FAILED=1; fi
echo "editors: $PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
