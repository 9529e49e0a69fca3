#!/usr/bin/env bash
# Runs Google's MediaPipe Pose (the legacy `mp.solutions.pose` graph, which uses the same
# pose_detection + pose_landmark_{lite,full,heavy} models kneetrack converts to ONNX) over clips and
# writes per-frame landmarks as JSON, as the reference for tests/blazepose_reference.rs.
#
#   scripts/mediapipe_reference.sh [--complexity 0|1|2] [--out DIR] CLIP...
#
# Makes a private virtual environment .venv-mediapipe/ (gitignored) with mediapipe 0.10.14 on first
# use. Output: DIR/<clip stem>.json (default DIR: .cache/reference/mediapipe).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-mediapipe
say() { printf 'mediapipe_reference: %s\n' "$*" >&2; }
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import mediapipe, cv2, numpy' 2>/dev/null; then
  say "creating $VENV (mediapipe 0.10.14)"
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet "mediapipe==0.10.14" "numpy<2" "opencv-python-headless<4.11"
fi
exec "$VENV/bin/python" scripts/mediapipe_reference.py "$@"
