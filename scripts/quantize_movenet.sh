#!/usr/bin/env bash
# Optional int8 MoveNet variants: build them, then measure them against the float models.
#
#   scripts/quantize_movenet.sh [CLIP ...]     (clips to compare on; default: samples/*.mp4)
#
# Builds models/movenet-{lightning,thunder}-int8.onnx (not committed; use with `--model
# models/movenet-lightning-int8.onnx`) by static QDQ quantisation calibrated on the bundled
# synthetic samples (scripts/quantize_movenet.py), then prints, per model and clip, the median
# distance between float and int8 hip/knee/ankle keypoints (% of the leg length), the per-rep peak
# FPPA of both, and `kneetrack bench` timings of both.
#
# Environment: QUANT_VENV (default .cache/venv-quant: onnxruntime==1.32.0 onnx==1.17.0
#   numpy==1.26.4 ml-dtypes==0.4.1), KNEETRACK (default target/release/kneetrack), RUNS (bench, 100).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${QUANT_VENV:-$ROOT/.cache/venv-quant}
KNEETRACK=${KNEETRACK:-$ROOT/target/release/kneetrack}
RUNS=${RUNS:-100}
CLIPS=("$@")
[ ${#CLIPS[@]} -gt 0 ] || CLIPS=(samples/*.mp4)
[ -x "$KNEETRACK" ] || cargo build --release -q
if ! "$VENV/bin/python" -c 'import onnxruntime.quantization, onnx' 2>/dev/null; then
    echo "creating $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q onnxruntime==1.32.0 onnx==1.17.0 numpy==1.26.4 ml-dtypes==0.4.1
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

for m in movenet-lightning movenet-thunder; do
    "$VENV/bin/python" scripts/quantize_movenet.py "models/$m.onnx" "models/$m-int8.onnx" samples/*.mp4
done

echo
echo "| model | clip | keypoint shift, median (p90), % leg | peak FPPA per rep, float | int8 |"
echo "|---|---|---:|---|---|"
for m in movenet-lightning movenet-thunder; do
    for clip in "${CLIPS[@]}"; do
        "$KNEETRACK" analyze -q --model "$m" --csv "$TMP/f.csv" --json "$TMP/f.json" "$clip"
        "$KNEETRACK" analyze -q --model "models/$m-int8.onnx" --csv "$TMP/q.csv" --json "$TMP/q.json" "$clip"
        python3 - "$m" "$clip" "$TMP" <<'PY'
import csv, json, math, os, statistics, sys
m, clip, tmp = sys.argv[1:4]
def rows(name):
    with open(os.path.join(tmp, name)) as f:
        return list(csv.DictReader(f))
f, q = rows("f.csv"), rows("q.csv")
joints = [f"{s}_{j}" for s in ("left", "right") for j in ("hip", "knee", "ankle")]
def pt(r, j):
    return float(r[j + "_x"]), float(r[j + "_y"])
legs = [math.dist(pt(r, s + "_hip"), pt(r, s + "_ankle")) for r in f for s in ("left", "right")
        if float(r[s + "_hip_score"]) > 0.3 and float(r[s + "_ankle_score"]) > 0.3]
leg = statistics.quantiles(legs, n=10)[8]
shift = sorted(math.dist(pt(a, j), pt(b, j)) / leg * 100 for a, b in zip(f, q) for j in joints
               if float(a[j + "_score"]) > 0.3 and float(b[j + "_score"]) > 0.3)
def peaks(name):
    a = json.load(open(os.path.join(tmp, name)))["assessment"]
    p = [round(l["peak_fppa_deg"], 1) for r in a["reps"] for l in r["legs"] if l["peak_fppa_deg"] is not None]
    return f"{a['verdict']} {p}"
print(f"| {m} | {os.path.basename(clip)} | {statistics.median(shift):.2f} ({shift[int(0.9 * len(shift))]:.2f}) "
      f"| {peaks('f.json')} | {peaks('q.json')} |")
PY
    done
done
echo
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$KNEETRACK" bench --runs "$RUNS" --threads 1,2 \
    -m movenet-lightning,models/movenet-lightning-int8.onnx,movenet-thunder,models/movenet-thunder-int8.onnx
