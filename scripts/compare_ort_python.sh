#!/usr/bin/env bash
# Same .onnx files, same thread counts: kneetrack (ort crate) vs Python onnxruntime.
#
#   scripts/compare_ort_python.sh [MODEL ...]      (default: movenet-lightning movenet-thunder)
#
# Environment: THREADS (default 1,2), RUNS (default 100), WARMUP (default 10),
#   PYTHON (a python with onnxruntime + numpy; default: a venv made in .cache/venv-ort with
#   onnxruntime==1.32.0, the version of the library kneetrack loads), KNEETRACK (the binary;
#   default target/release/kneetrack, built if missing), KNEETRACK_ORT_SPIN=1 (spinning on in both).
#
# Python's number is session.run alone on a fixed input. kneetrack's comparable number is
# `kneetrack bench --json` inference p50: the time inside Session::run of each pose step. The
# pose step's p50 (crop/warp of a grey 720x1280 frame into the model input + int32 conversion +
# inference + keypoint decoding; every 30th call also runs the other-person check) is shown too.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
THREADS=${THREADS:-1,2}
RUNS=${RUNS:-100}
WARMUP=${WARMUP:-10}
KNEETRACK=${KNEETRACK:-$ROOT/target/release/kneetrack}
MODELS=("$@")
[ ${#MODELS[@]} -gt 0 ] || MODELS=(movenet-lightning movenet-thunder)

if [ -z "${PYTHON:-}" ]; then
    VENV=$ROOT/.cache/venv-ort
    if ! "$VENV/bin/python" -c 'import onnxruntime, numpy' 2>/dev/null; then
        echo "creating $VENV (onnxruntime==1.32.0)" >&2
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install -q onnxruntime==1.32.0 numpy
    fi
    PYTHON=$VENV/bin/python
fi
if [ ! -x "$KNEETRACK" ]; then
    cargo build --release -q
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Resolve names to files the same way kneetrack does (KNEETRACK_MODELS, else models/).
MODELS_DIR=${KNEETRACK_MODELS:-$ROOT/models}
SPECS=()
for m in "${MODELS[@]}"; do
    case $m in
        *.onnx) SPECS+=("$(basename "$m" .onnx)=$m") ;;
        *) SPECS+=("$m=$MODELS_DIR/$m.onnx") ;;
    esac
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" >&2
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
MODEL_ARGS=$(IFS=,; echo "${MODELS[*]}")
"$KNEETRACK" bench --json --model "$MODEL_ARGS" --threads "$THREADS" --runs "$RUNS" --warmup "$WARMUP" >"$TMP/kneetrack.json"
"$PYTHON" scripts/compare_ort_python.py --threads "$THREADS" --runs "$RUNS" --warmup "$WARMUP" "${SPECS[@]}" >"$TMP/python.json"
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)" >&2

"$PYTHON" - "$TMP/kneetrack.json" "$TMP/python.json" <<'PY'
import json, sys
kt = json.load(open(sys.argv[1]))
py = json.load(open(sys.argv[2]))
ktm = {(m["model"], m["threads"]): m for m in kt["models"]}
print(f"onnxruntime (python) {py['onnxruntime']}, spinning {'on' if py['spinning'] else 'off'} in both")
print("kt inference = time inside Session::run per pose step (`kneetrack bench`); python = session.run;")
print("kt pose step = crop + conversion + inference + keypoint decoding")
print()
print(f"| {'model':<18} | threads | kt inference p50 ms | python p50 ms | ratio kt/py | goal <= 1.0 | kt pose step p50 ms | step/py |")
print(f"|{'-'*20}|--------:|--------------------:|--------------:|------------:|-------------|--------------------:|--------:|")
for r in py["results"]:
    k = ktm.get((r["model"], r["threads"]))
    if k is None or not k.get("inference"):
        continue
    inf, step = k["inference"]["p50_ms"], k["latency"]["p50_ms"]
    ratio = inf / r["p50_ms"]
    ok = "met" if ratio <= 1.0 else "missed"
    print(f"| {r['model']:<18} | {r['threads']:>7} | {inf:>19.2f} | {r['p50_ms']:>13.2f} | {ratio:>11.2f} | {ok:>11} | {step:>19.2f} | {step / r['p50_ms']:>7.2f} |")
PY
