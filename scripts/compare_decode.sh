#!/usr/bin/env bash
# Decode-only floor vs the whole analysis: how close is `kneetrack analyze` to just decoding the clip?
#
#   scripts/compare_decode.sh CLIP [CLIP ...]
#
# Environment: MODEL (default movenet-lightning), REPEAT (default 1; the fastest wall time of
#   REPEAT runs is kept), KNEETRACK (default target/release/kneetrack, built if missing).
#
# Times (wall s, peak RSS) with /usr/bin/time -f '%e s %M KB':
#   ffmpeg -v error -i CLIP -f null -              (ffmpeg's default threads)
#   ffmpeg -v error -threads 1 -i CLIP -f null -   (one decoding thread)
#   kneetrack analyze -q --model $MODEL CLIP       (decode + pose + assessment)
# and prints kneetrack / ffmpeg ratios (goal: <= 1.5x of the default-threads decode).
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

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(ffmpeg -version | head -1 | cut -d' ' -f1-3)"
echo "model: $MODEL, best of $REPEAT run(s) each"
echo
echo "| clip | frames | command | wall s | frames/s | peak RSS MB |"
echo "|------|-------:|---------|-------:|---------:|------------:|"
SUMMARY=()
for clip in "$@"; do
    name=$(basename "$clip")
    frames=$(ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$clip")
    load=$(cut -d' ' -f1 /proc/loadavg)
    read -r ff ff_kb < <(best_of ffmpeg -nostdin -v error -i "$clip" -f null -)
    read -r ff1 ff1_kb < <(best_of ffmpeg -nostdin -v error -threads 1 -i "$clip" -f null -)
    read -r kt kt_kb < <(best_of "$KNEETRACK" analyze -q --model "$MODEL" "$clip")
    for row in "ffmpeg (default threads)|$ff|$ff_kb" "ffmpeg -threads 1|$ff1|$ff1_kb" "kneetrack analyze -q|$kt|$kt_kb"; do
        IFS='|' read -r label s kb <<<"$row"
        awk -v n="$name" -v f="$frames" -v l="$label" -v s="$s" -v kb="$kb" \
            'BEGIN{printf "| %s | %d | %s | %.2f | %.0f | %.1f |\n", n, f, l, s, f/s, kb/1024}'
    done
    SUMMARY+=("$(awk -v n="$name" -v kt="$kt" -v ff="$ff" -v ff1="$ff1" -v l="$load" 'BEGIN{
        r=kt/ff; r1=kt/ff1;
        printf "| %s | %.2f | %.2f | %s | %s |", n, r, r1, (r<=1.5?"met":"missed"), l }')")
done
echo
echo "| clip | kneetrack / ffmpeg | kneetrack / ffmpeg -threads 1 | goal <= 1.5x | load (1 min) at start |"
echo "|------|-------------------:|------------------------------:|--------------|----------------------:|"
printf '%s\n' "${SUMMARY[@]}"
