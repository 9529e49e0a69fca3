#!/usr/bin/env bash
# Goal 1 of issue 15: `kneetrack analyze` with the default model (movenet-thunder) at ≥ 4× real
# time on the shared front pistol clip (wall ≤ 0.25 × its 9.64 s).
#
#   scripts/compare_realtime.sh [CLIP]   (default ../shared/clips/front_pistol_squat_home_portrait_myfitcal.mp4)
#
# Runs, in turn, REPEAT times (default 3): ffmpeg decode-only, and `kneetrack analyze -q` with
# each of CASES ("model:pose rate:threads[:sessions[:coarse rate]]", default thunder with one
# session of two threads (the default), then two one-thread sessions (`--sessions 2`), and
# lightning; sessions 0 = kneetrack's choice; coarse rate 0 or absent = off, see `--coarse-rate`;
# the model may be a path, e.g. models/movenet-thunder-int8.onnx from scripts/quantize_movenet.sh).
# Prints the medians of wall and CPU (user + sys) time, frames/s, and the clip's duration over the
# wall time (× real time). KNEETRACK: default target/release/kneetrack.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
REPEAT=${REPEAT:-3}
KNEETRACK=${KNEETRACK:-$ROOT/target/release/kneetrack}
CASES=${CASES:-"movenet-thunder:30:0:1 movenet-thunder:30:0:2 movenet-thunder:15:0:2 movenet-lightning:30:0:1 movenet-lightning:30:0:2"}
[ -x "$KNEETRACK" ] || cargo build --release -q
CLIP=${1:-../shared/clips/front_pistol_squat_home_portrait_myfitcal.mp4}
[ -f "$CLIP" ] || { echo "skipped: $CLIP not found (see ../shared/clips/MANIFEST.md)"; exit 0; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# shellcheck source=lib/timed.sh
. scripts/lib/timed.sh
DURATION=$(ffprobe -v error -select_streams v:0 -show_entries stream=duration -of csv=p=0 "$CLIP")
FRAMES=$(ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$CLIP")

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "clip: $(basename "$CLIP"), $FRAMES frames, $DURATION s; $REPEAT runs each, in turn"
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A WALL CPU
LABELS=("ffmpeg decode-only")
for c in $CASES; do LABELS+=("$c"); done
for _ in $(seq "$REPEAT"); do
    for label in "${LABELS[@]}"; do
        if [ "$label" = "ffmpeg decode-only" ]; then
            read -r w u s _ < <(timed ffmpeg -nostdin -v error -i "$CLIP" -f null -)
        else
            IFS=':' read -r model rate threads sessions coarse <<<"$label"
            read -r w u s _ < <(timed "$KNEETRACK" analyze -q -m "$model" --pose-rate "$rate" --threads "$threads" --sessions "${sessions:-0}" --coarse-rate "${coarse:-0}" "$CLIP")
        fi
        WALL[$label]+="$w "
        CPU[$label]+="$(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}') "
    done
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| command | pose rate | coarse rate | threads | sessions | wall s (median) | CPU s (median) | frames/s | × real time | goal ≥ 4× (thunder) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for label in "${LABELS[@]}"; do
    # shellcheck disable=SC2086
    w=$(median ${WALL[$label]}); c=$(median ${CPU[$label]})
    if [ "$label" = "ffmpeg decode-only" ]; then
        name="ffmpeg decode-only"; rate="—"; coarse="—"; threads="auto"; sessions="—"; goal=""
    else
        IFS=':' read -r model rate threads sessions coarse <<<"$label"
        name="analyze -m $model"; rate="$rate Hz"; [ "$threads" = 0 ] && threads="auto"
        coarse=${coarse:-0}; if [ "$coarse" = 0 ]; then coarse="off"; else coarse="$coarse Hz"; fi
        sessions=${sessions:-0}; [ "$sessions" = 0 ] && sessions="auto"
        goal=$(case "$model" in *movenet-thunder*) true ;; *) false ;; esac && awk -v d="$DURATION" -v w="$w" 'BEGIN{print (d/w>=4?"met":"missed")}' || echo "")
    fi
    awk -v n="$name" -v r="$rate" -v k="$coarse" -v t="$threads" -v ss="$sessions" -v w="$w" -v c="$c" -v f="$FRAMES" -v d="$DURATION" -v g="$goal" \
        'BEGIN{printf "| %s | %s | %s | %s | %s | %.2f | %.2f | %.0f | %.2f× | %s |\n", n, r, k, t, ss, w, c, f/w, d/w, g}'
done
