#!/usr/bin/env bash
# Same .onnx files, same thread counts: kneetrack (ort crate) vs Python onnxruntime.
#
#   scripts/compare_ort_python.sh [MODEL ...]      (default: movenet-lightning movenet-thunder)
#
# Environment: THREADS (default 1,2), RUNS (default 100), WARMUP (default 10),
#   PYTHON (a python with onnxruntime + numpy; default: a venv made in .cache/venv-ort with
#   onnxruntime==1.32.0, the version of the library kneetrack loads), KNEETRACK (the binary;
#   default target/release/kneetrack, built if missing), KNEETRACK_ORT_SPIN=1 (spinning on in both),
#   CRITERION=1 (first run `cargo bench --bench inference -- session_run` so that the 1-thread rows
#   also get kneetrack's bare Session::run median, inference only like Python's; without it the
#   column is filled from an earlier run's target/criterion/ results if any).
#
# kneetrack's number is `kneetrack bench --json` p50: one PoseEstimator::estimate = crop/warp of a
# grey 720x1280 frame into the model input + int32 conversion + inference + keypoint decoding
# (every 30th call also runs the other-person check). Python's is session.run alone on a fixed
# input. So ratio <= 1.0 means kneetrack's whole per-frame pose step is no slower than bare
# inference in Python.
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
if [ "${CRITERION:-0}" = 1 ]; then
    cargo bench -q --bench inference -- --warm-up-time 1 --measurement-time 3 session_run >/dev/null 2>&1 ||
        echo "criterion session_run bench failed; column left empty" >&2
fi
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
MODEL_ARGS=$(IFS=,; echo "${MODELS[*]}")
"$KNEETRACK" bench --json --model "$MODEL_ARGS" --threads "$THREADS" --runs "$RUNS" --warmup "$WARMUP" >"$TMP/kneetrack.json"
"$PYTHON" scripts/compare_ort_python.py --threads "$THREADS" --runs "$RUNS" --warmup "$WARMUP" "${SPECS[@]}" >"$TMP/python.json"
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)" >&2

"$PYTHON" - "$TMP/kneetrack.json" "$TMP/python.json" "$ROOT/target/criterion" <<'PY'
import json, os, sys
kt = json.load(open(sys.argv[1]))
py = json.load(open(sys.argv[2]))
def criterion_ms(model):
    f = os.path.join(sys.argv[3], "session_run_1thread", model, "new", "estimates.json")
    try:
        return json.load(open(f))["median"]["point_estimate"] / 1e6
    except (OSError, KeyError, ValueError):
        return None
ktm = {(m["model"], m["threads"]): m["latency"] for m in kt["models"]}
print(f"onnxruntime (python) {py['onnxruntime']}, spinning {'on' if py['spinning'] else 'off'} in both")
print("kneetrack p50 = `kneetrack bench` (crop + conversion + inference + keypoint decoding);")
print("python p50 = session.run only; kt run-only = criterion median of the bare Session::run")
print("(benches/inference.rs session_run_1thread, 1 thread only, taken at another moment)")
print()
print(f"| {'model':<18} | threads | kneetrack p50 ms | python p50 ms | ratio kt/py | goal <= 1.0 | kt run-only ms | run-only/py |")
print(f"|{'-'*20}|--------:|-----------------:|--------------:|------------:|-------------|---------------:|------------:|")
for r in py["results"]:
    k = ktm.get((r["model"], r["threads"]))
    if k is None:
        continue
    ratio = k["p50_ms"] / r["p50_ms"]
    ok = "met" if ratio <= 1.0 else "missed"
    c = criterion_ms(r["model"]) if r["threads"] == 1 else None
    cs = f"{c:>14.2f} | {c / r['p50_ms']:>11.2f}" if c else f"{'-':>14} | {'-':>11}"
    print(f"| {r['model']:<18} | {r['threads']:>7} | {k['p50_ms']:>16.2f} | {r['p50_ms']:>13.2f} | {ratio:>11.2f} | {ok:>11} | {cs} |")
PY
