#!/usr/bin/env bash
# Prints, after a failed `npm test`, what each failed Nx task said about its failure: the stream
# interleaves every package's output, and only the end of a CI log is kept, so the cause is
# repeated last, short.
#   usage: .ci/failure-digest.sh LOG
set -uo pipefail
log=$1
plain() { sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$log"; }

failed=$(plain | awk '/^Failed tasks:/ { on = 1; next } on && /^- [^ ]+:[a-z-]+$/ { sub(/^- /, ""); sub(/:[a-z-]+$/, ""); print }' | sort -u)
echo
echo "==== failure digest ===="
[ -n "$failed" ] || { echo "no failed Nx task named; the last lines:"; plain | tail -40; exit 0; }
for project in $failed; do
  echo "---- $project"
  # The package's own lines, without the prefix; then the lines that name a failure, with a little
  # context (vitest: FAIL, ×, the error and its source line; tsc: error TS; eslint: error).
  plain | sed -n "s|^$project: ||p" \
    | grep -E -A6 '(^| )(FAIL|×) |Error:|error TS[0-9]+|[0-9]+:[0-9]+ +error |Tests .*failed|exited with|Command failed' \
    | grep -v -E '^\s*-?\s*(waiting|retrying|attempting|- element is not)' \
    | head -60
  echo "(last lines)"
  plain | sed -n "s|^$project: ||p" | tail -12
done
