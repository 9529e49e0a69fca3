#!/usr/bin/env bash
# Installs what kneetrack needs to build and run, only where it is missing:
#   - Debian packages: OpenCV 4.6 headers/libraries, clang (for the opencv crate's bindings), ffmpeg
#     (tests generate clips with it), pkg-config;
#   - the ONNX Runtime shared library, taken from the PyPI `onnxruntime` wheel, into .ort/lib/;
#   - with --test: Debian's chromium too (the HTML report is checked in a headless browser).
# Safe to run again: each step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

ORT_VERSION=1.32.0
ORT_LIB=".ort/lib/libonnxruntime.so.${ORT_VERSION}"
APT_PACKAGES=(libopencv-dev clang libclang-dev ffmpeg pkg-config)
if [ "${1:-}" = "--test" ]; then APT_PACKAGES+=(chromium); fi

say() { printf 'setup: %s\n' "$*" >&2; }

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f "$ORT_LIB" ]; then
  say "fetching ONNX Runtime ${ORT_VERSION} (PyPI onnxruntime wheel)"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
    --platform manylinux_2_28_x86_64 "onnxruntime==${ORT_VERSION}" -d "$tmp"
  wheel=$(ls "$tmp"/onnxruntime-*.whl)
  python3 - "$wheel" "$tmp/x" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for n in z.namelist():
        if n.startswith("onnxruntime/capi/libonnxruntime.so"):
            z.extract(n, sys.argv[2])
PY
  mkdir -p .ort/lib
  cp "$tmp"/x/onnxruntime/capi/libonnxruntime.so* .ort/lib/
  [ -f "$ORT_LIB" ] || { say "the wheel did not contain $ORT_LIB"; exit 1; }
  say "ONNX Runtime library at $ORT_LIB"
fi
