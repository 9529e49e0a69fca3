#!/usr/bin/env bash
# A long fuzz run (not in CI) over the two readers of user-controlled files: the --thresholds
# reader and the report reader behind --skip-existing. Arbitrary bytes and mutated valid JSON must
# give Ok or a one-line error, never a panic (tests/fuzz_readers.rs; CI runs 64 cases of each).
#
#   scripts/fuzz_readers.sh [CASES]     # default 100000 cases per reader
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-100000}"
echo "fuzzing the thresholds and kept-report readers: $cases cases each"
start=$(date +%s)
KNEETRACK_FUZZ_CASES="$cases" cargo test --release --test main fuzz_readers:: -- --nocapture
echo "done in $(( $(date +%s) - start )) s: no panic, every error one line"
