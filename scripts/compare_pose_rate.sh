#!/usr/bin/env bash
# Goal 4 of issue 15: does posing at most RATE times a second change the numbers? Per clip and
# rep, the peak FPPA of each judged leg with every frame posed (`--pose-rate 0`, the analysis
# before issue 15) against `--pose-rate RATE`, and the verdicts.
#
#   scripts/compare_pose_rate.sh [CLIP ...]
#
# Without clips: the three samples, their 60 and 120 fps copies (made once with ffmpeg
# minterpolate into .cache/clips/) and every clip in ../shared/clips (skipped where missing).
# Environment: MODEL (default movenet-thunder), RATES (default "30"; e.g. "30 15"),
#   KNEETRACK (default target/release/kneetrack, built if missing), TOLERANCE (default 1.0°).
#   Other comparisons: BASE (the reference's arguments, default "--pose-rate 0") and VARIANTS
#   (';'-separated argument lists, default one "--pose-rate R" per rate), e.g.
#     BASE="--sessions 1" VARIANTS="--sessions 2" scripts/compare_pose_rate.sh
#     BASE="" VARIANTS="--coarse-rate 10;--coarse-rate 15" scripts/compare_pose_rate.sh
# Reps are matched by their bottom time (within 0.5 s). Exit status 1 when a difference exceeds
# TOLERANCE or a verdict changes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODEL=${MODEL:-movenet-thunder}
RATES=${RATES:-30}
BASE=${BASE---pose-rate 0}
if [ -z "${VARIANTS:-}" ]; then
    VARIANTS=""
    for r in $RATES; do VARIANTS+="${VARIANTS:+;}--pose-rate $r"; done
fi
IFS=';' read -r -a VARIANT_LIST <<<"$VARIANTS"
TOLERANCE=${TOLERANCE:-1.0}
KNEETRACK=${KNEETRACK:-$ROOT/target/release/kneetrack}
[ -x "$KNEETRACK" ] || cargo build --release -q
# shellcheck source=lib/high_fps_copies.sh
. scripts/lib/high_fps_copies.sh

CLIPS=("$@")
if [ ${#CLIPS[@]} -eq 0 ]; then
    for s in samples/valgus.mp4 samples/good.mp4 samples/double-leg.mp4; do
        CLIPS+=("$s" "$(high_fps_copy "$s" 60)" "$(high_fps_copy "$s" 120)")
    done
    if [ -d ../shared/clips ]; then
        for c in ../shared/clips/*.mp4; do CLIPS+=("$c"); done
    else
        echo "note: ../shared/clips missing, shared clips skipped" >&2
    fi
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "model $MODEL; reference: '${BASE:-defaults}' against: ${VARIANTS//;/, }; load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| clip | fps | variant | rep | leg | peak FPPA, reference | peak FPPA, variant | difference | verdicts |"
echo "|---|---:|---:|---:|---|---:|---:|---:|---|"
exec 3>&1 > >(tee "$TMP/rows")
status=0
for clip in "${CLIPS[@]}"; do
    # shellcheck disable=SC2086
    "$KNEETRACK" analyze -q -m "$MODEL" $BASE --json "$TMP/old.json" "$clip"
    for variant in "${VARIANT_LIST[@]}"; do
        # shellcheck disable=SC2086
        "$KNEETRACK" analyze -q -m "$MODEL" $variant --json "$TMP/new.json" "$clip"
        rate=${variant#--pose-rate }
        python3 - "$clip" "$rate" "$TOLERANCE" "$TMP/old.json" "$TMP/new.json" <<'PY' || status=1
import json, os, sys
clip, rate, tol, old_path, new_path = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5]
old, new = (json.load(open(p)) for p in (old_path, new_path))
name = os.path.basename(clip)
fps = old["clip"]["fps"] if "clip" in old else old["info"]["fps"]
verdicts = f'{old["assessment"]["verdict"]} → {new["assessment"]["verdict"]}'
bad = old["assessment"]["verdict"] != new["assessment"]["verdict"]
rows = 0
for rep in old["assessment"]["reps"]:
    match = min(new["assessment"]["reps"], key=lambda r: abs(r["bottom_s"] - rep["bottom_s"]), default=None)
    if match is not None and abs(match["bottom_s"] - rep["bottom_s"]) > 0.5:
        match = None
    for leg in rep["legs"]:
        a = leg.get("peak_fppa_deg")
        other = next((l for l in (match or {}).get("legs", []) if l["side"] == leg["side"]), None)
        b = other.get("peak_fppa_deg") if other else None
        if a is None or b is None:
            diff = "rep not found" if match is None else "—"
            bad |= match is None
        else:
            diff = f"{b - a:+.2f}°"
            bad |= abs(b - a) > tol
        fmt = lambda v: "—" if v is None else f"{v:.2f}°"
        print(f"| {name} | {fps:.2f} | {rate} | {rep['number']} | {leg['side']} | {fmt(a)} | {fmt(b)} | {diff} | {verdicts} |")
        rows += 1
extra = len(new["assessment"]["reps"]) - len(old["assessment"]["reps"])
if rows == 0 or extra:
    print(f"| {name} | {fps:.2f} | {rate} | — | — | {len(old['assessment']['reps'])} reps | {len(new['assessment']['reps'])} reps | | {verdicts} |")
    bad |= extra != 0
sys.exit(1 if bad else 0)
PY
    done
done
exec >&3
echo
echo "Summary: the largest difference per clip and pose rate"
echo
echo "| clip | variant | legs × reps | largest difference | verdicts |"
echo "|---|---:|---:|---:|---|"
python3 - "$TMP/rows" <<'PY'
import sys
seen = {}
for line in open(sys.argv[1]):
    cells = [c.strip() for c in line.split("|")[1:-1]]
    if len(cells) != 9:
        continue
    clip, _, rate, _, _, _, _, diff, verdicts = cells
    entry = seen.setdefault((clip, rate), [0, 0.0, verdicts])
    if diff.endswith("°"):
        entry[0] += 1
        entry[1] = max(entry[1], abs(float(diff[:-1])))
    entry[2] = verdicts
for (clip, rate), (n, worst, verdicts) in seen.items():
    print(f"| {clip} | {rate} | {n} | {worst:.2f}° | {verdicts} |" if n else f"| {clip} | {rate} | 0 | — | {verdicts} |")
PY
echo
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
[ $status -eq 0 ] && echo "every peak within ${TOLERANCE}° and every verdict the same" \
    || echo "SOME peaks differ by more than ${TOLERANCE}°, or a verdict or rep count changed (rows above)"
exit $status
