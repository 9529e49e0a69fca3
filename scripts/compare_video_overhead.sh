#!/usr/bin/env bash
# What writing the annotated video costs: `kneetrack analyze` with and without `--video`.
#
#   scripts/compare_video_overhead.sh CLIP [CLIP ...]
#
# Environment: MODEL (default movenet-lightning: the fastest model, so the video's share is the
#   largest), REPEAT (default 1; fastest of REPEAT runs kept), KNEETRACK (default
#   target/release/kneetrack, built if missing).
#
# Goal: the video adds <= 50% to the wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODEL=${MODEL:-movenet-lightning}
REPEAT=${REPEAT:-1}
KNEETRACK=${KNEETRACK:-$ROOT/target/release/kneetrack}
[ $# -gt 0 ] || { echo "usage: $0 CLIP [CLIP ...]" >&2; exit 2; }
[ -x "$KNEETRACK" ] || cargo build --release -q

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# shellcheck source=lib/best_of.sh
. scripts/lib/best_of.sh

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "model: $MODEL, best of $REPEAT run(s) each"
echo
echo "| clip | analyze -q s | + --video s | video adds | goal <= 50% | peak RSS MB (without / with) | load (1 min) at start |"
echo "|------|-------------:|------------:|-----------:|-------------|-----------------------------:|----------------------:|"
for clip in "$@"; do
    name=$(basename "$clip")
    load=$(cut -d' ' -f1 /proc/loadavg)
    read -r plain plain_kb < <(best_of "$KNEETRACK" analyze -q --model "$MODEL" "$clip")
    read -r video video_kb < <(best_of "$KNEETRACK" analyze -q --model "$MODEL" --video "$TMP/out.mp4" "$clip")
    [ -s "$TMP/out.mp4" ] || { echo "no video written for $clip" >&2; exit 1; }
    awk -v n="$name" -v a="$plain" -v b="$video" -v ka="$plain_kb" -v kb="$video_kb" -v l="$load" 'BEGIN{
        pct=100*(b-a)/a;
        printf "| %s | %.2f | %.2f | %+.0f%% | %s | %.1f / %.1f | %s |\n", n, a, b, pct, (pct<=50?"met":"missed"), ka/1024, kb/1024, l }'
    rm -f "$TMP/out.mp4"
done
