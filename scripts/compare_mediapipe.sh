#!/usr/bin/env bash
# Side by side, end to end on the same clip: Google's MediaPipe Pose 0.10.14 in Python (legacy
# solutions.pose, model_complexity=1 = BlazePose full, decode included) against
# `kneetrack analyze --model blazepose-full` (decode, pose, assessment), with one session (the
# default) and with two one-thread sessions on alternate frames (`--sessions 2`). Goal (issue 15):
# kneetrack ≥ 5× faster (wall). Wall and CPU (user + sys) of each, REPEAT
# runs in turn (default 3), medians. EXTRA (optional) adds a third kneetrack row with those
# options, e.g. EXTRA="--pose-rate 15 --coarse-rate 5 --sessions 2" (every speed lever at once).
#
#   scripts/compare_mediapipe.sh [CLIP]     (default: samples/valgus.mp4)
#
# Uses .venv-mediapipe/ from scripts/mediapipe_reference.sh (made on first use). Run on demand, not in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
clip=${1:-samples/valgus.mp4}
bin=target/release/kneetrack
[ -x "$bin" ] || cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
calc() { python3 -c "print($1)"; }
TMP=$out
# shellcheck source=lib/timed.sh
. scripts/lib/timed.sh
REPEAT=${REPEAT:-3}
# Warm both once (venv import, model load, page cache), then time.
scripts/mediapipe_reference.sh --complexity 1 --out "$out" "$clip" >/dev/null 2>&1
"$bin" analyze -q -m blazepose-full "$clip" >/dev/null
load0=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A WALL CPU
LABELS=("MediaPipe 0.10.14 (Python, full)" "kneetrack blazepose-full, 1 session" "kneetrack blazepose-full, 2 sessions")
EXTRA=${EXTRA:-}
[ -z "$EXTRA" ] || LABELS+=("kneetrack blazepose-full $EXTRA")
for _ in $(seq "$REPEAT"); do
    for label in "${LABELS[@]}"; do
        case $label in
            MediaPipe*) read -r w u s _ < <(timed scripts/mediapipe_reference.sh --complexity 1 --out "$out" "$clip") ;;
            *"1 session") read -r w u s _ < <(timed "$bin" analyze -q -m blazepose-full --sessions 1 "$clip") ;;
            *"2 sessions") read -r w u s _ < <(timed "$bin" analyze -q -m blazepose-full --sessions 2 "$clip") ;;
            # shellcheck disable=SC2086
            *) read -r w u s _ < <(timed "$bin" analyze -q -m blazepose-full $EXTRA "$clip") ;;
        esac
        WALL[$label]+="$w "
        CPU[$label]+="$(calc "$u + $s") "
    done
done
frames=$(ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$clip")
printf 'clip %s (%s frames), %s cores, %s runs each in turn; load %s at start, %s at end\n' \
    "$clip" "$frames" "$(nproc)" "$REPEAT" "$load0" "$(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086
mp=$(median ${WALL[${LABELS[0]}]})
for label in "${LABELS[@]}"; do
    # shellcheck disable=SC2086
    w=$(median ${WALL[$label]}); c=$(median ${CPU[$label]})
    printf '%-70s %8.2f s wall  %8.2f CPU-s  %6.1f frames/s  MediaPipe/this %.2fx\n' "$label" "$w" "$c" \
        "$(calc "$frames / $w")" "$(calc "$mp / $w")"
done
echo "goal: kneetrack >= 5x faster than MediaPipe (wall)"
