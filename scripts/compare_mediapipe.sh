#!/usr/bin/env bash
# Side by side, end to end on the same clip: Google's MediaPipe Pose 0.10.14 in Python (legacy
# solutions.pose, model_complexity=1 = BlazePose full, decode included) against
# `kneetrack analyze --model blazepose-full` (decode, pose, assessment). Goal: kneetrack ≥ 3× faster.
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
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); calc "$t1 - $t0"; }
# Warm both once (venv import, model load, page cache), then time.
scripts/mediapipe_reference.sh --complexity 1 --out "$out" "$clip" >/dev/null 2>&1
"$bin" analyze -q -m blazepose-full "$clip" >/dev/null
mp=$(seconds scripts/mediapipe_reference.sh --complexity 1 --out "$out" "$clip")
kt=$(seconds "$bin" analyze -q -m blazepose-full "$clip")
frames=$(ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$clip")
printf 'clip %s (%s frames), %s, load %s\n' "$clip" "$frames" "$(nproc) cores" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %8.2f s  %6.1f frames/s\n' "MediaPipe 0.10.14 (Python, full)" "$mp" "$(calc "$frames / $mp")"
printf '%-34s %8.2f s  %6.1f frames/s\n' "kneetrack blazepose-full" "$kt" "$(calc "$frames / $kt")"
printf 'speed-up: %.2fx (goal >= 3x)\n' "$(calc "$mp / $kt")"
