#!/usr/bin/env bash
# Goal 2 of issue 15: a 120 fps clip should cost at most 1.5× the 30 fps clip of the same motion.
#
#   scripts/compare_frame_rates.sh [CLIP]        (default samples/valgus.mp4)
#
# Makes CLIP's 120 fps copy once (ffmpeg minterpolate, .cache/clips/), then runs, in turn, REPEAT
# times (default 3): `kneetrack analyze -q` on the 30 fps clip and on the 120 fps copy, with the
# default pose rate (30 Hz) and with every frame posed (`--pose-rate 0`, as before issue 15).
# Prints the medians (wall, user + sys CPU) and the 120/30 ratios; on a busy machine (see the load
# lines) the wall ratio is noise and the CPU ratio is the one to read. Environment: MODEL (default
# movenet-thunder), REPEAT, KNEETRACK (default target/release/kneetrack, built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODEL=${MODEL:-movenet-thunder}
REPEAT=${REPEAT:-3}
KNEETRACK=${KNEETRACK:-$ROOT/target/release/kneetrack}
[ -x "$KNEETRACK" ] || cargo build --release -q
CLIP=${1:-samples/valgus.mp4}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# shellcheck source=lib/high_fps_copies.sh
. scripts/lib/high_fps_copies.sh
# shellcheck source=lib/timed.sh
. scripts/lib/timed.sh
FAST=$(high_fps_copy "$CLIP" 120)

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); model $MODEL; $REPEAT runs each, in turn"
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A WALL CPU
CASES=("30|$CLIP|30" "120|$FAST|30" "30|$CLIP|0" "120|$FAST|0")
for _ in $(seq "$REPEAT"); do
    for c in "${CASES[@]}"; do
        IFS='|' read -r fps clip rate <<<"$c"
        read -r w u s _ < <(timed "$KNEETRACK" analyze -q -m "$MODEL" --pose-rate "$rate" "$clip")
        WALL[$fps/$rate]+="$w "
        CPU[$fps/$rate]+="$(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}') "
    done
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| pose rate | 30 fps wall s | 120 fps wall s | wall 120/30 | 30 fps CPU s | 120 fps CPU s | CPU 120/30 | goal ≤ 1.5× |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
for rate in 30 0; do
    # shellcheck disable=SC2086
    w30=$(median ${WALL[30/$rate]}); w120=$(median ${WALL[120/$rate]})
    # shellcheck disable=SC2086
    c30=$(median ${CPU[30/$rate]}); c120=$(median ${CPU[120/$rate]})
    label=$([ "$rate" = 0 ] && echo "every frame (before)" || echo "$rate Hz (default)")
    awk -v l="$label" -v a="$w30" -v b="$w120" -v c="$c30" -v d="$c120" 'BEGIN{
        r=b/a; rc=d/c; printf "| %s | %.2f | %.2f | %.2f× | %.2f | %.2f | %.2f× | wall %s, CPU %s |\n", l, a, b, r, c, d, rc, (r<=1.5?"met":"missed"), (rc<=1.5?"met":"missed") }'
done
