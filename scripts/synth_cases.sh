#!/usr/bin/env bash
# The synthetic hard cases of issue 13 (tests/synth_cases.rs), rendered small by `kneetrack synth`
# and read by each model: per case and model, the truth's expectation per bout and what came out
# (verdict, bouts with stance, view and reps, each judged leg's median peak FPPA).
#   scripts/synth_cases.sh                      (models: lightning, thunder, blazepose-full)
#   MODELS="movenet-thunder" scripts/synth_cases.sh
#   ONLY='fps' scripts/synth_cases.sh            (only the cases whose name matches the regex)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${KNEETRACK:-./target/release/kneetrack}
read -r -a models <<<"${MODELS:-movenet-lightning movenet-thunder blazepose-full}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cases=(
  "both-legs|--preset both-legs"
  "roll4|--roll-deg 4"
  "roll20|--roll-deg 20"
  "yaw10|--yaw-deg 10"
  "yaw20|--yaw-deg 20"
  "yaw45|--yaw-deg 45"
  "rear|--rear"
  "sar2:1|--preset valgus --sar 2:1 --width 272"
  "crop-feet|--crop-feet"
  "turn|--preset double-leg --turn"
  "both-legs-15fps|--preset both-legs --fps 15"
  "both-legs-25fps|--preset both-legs --fps 25"
  "both-legs-60fps|--preset both-legs --fps 60"
  "both-legs-10fps|--preset both-legs --fps 10"
)
for c in "${cases[@]}"; do
  name=${c%%|*}; flags=${c#*|}; file="$out/${name//:/_}.mp4"
  [[ -n ${ONLY:-} && ! $name =~ $ONLY ]] && continue
  small=()
  [[ $flags == *--width* ]] || small+=(--width 270)
  small+=(--height 480)
  [[ $flags == *--fps* ]] || small+=(--fps 30)
  # shellcheck disable=SC2086
  "$bin" synth "${small[@]}" $flags -o "$file" >/dev/null
  for m in "${models[@]}"; do
    "$bin" analyze -q -m "$m" --json "$file.$m.json" "$file" >/dev/null 2>&1 || true
    python3 - "$name" "$m" "${file%.mp4}.truth.json" "$file.$m.json" <<'PY'
import json, sys
name, model, tpath, rpath = sys.argv[1:5]
t = json.load(open(tpath))
truth = "; ".join(
    f"{b['stance']} {b['view']} {len(b['reps'])} reps → "
    + ("inconclusive" if b["inconclusive_expected"] else b["expected_verdict"] or "?")
    + (" (or inconclusive)" if b["inconclusive_allowed"] and not b["inconclusive_expected"] else "")
    for b in t["bouts"])
try:
    a = json.load(open(rpath))["assessment"]
except (OSError, ValueError):
    print(f"| {name} | {model} | {truth} | analysis failed |")
    sys.exit()
def stance(b):
    s = b["stance"]
    return s.get("side", "both") if s["kind"] == "single_leg" else s["kind"].replace("_leg", "")
bouts = "; ".join(f"{stance(b)} {b['view']} {len(b['reps'])} reps {b['verdict']}" for b in a["bouts"])
legs = ", ".join(
    f"{side} {l['verdict']} {l['median_peak_fppa_deg']:.1f}°"
    for side, l in (a.get("legs") or {}).items()
    if l and l.get("median_peak_fppa_deg") is not None)
print(f"| {name} | {model} | {truth} | {a['verdict']}: {bouts} | {legs or '—'} |")
PY
  done
done
