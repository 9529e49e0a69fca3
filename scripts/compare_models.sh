#!/usr/bin/env bash
# How far two models agree, clip by clip: the judged legs' median peak FPPA and drift, and the
# verdict, from `kneetrack analyze --json` with each model, and the differences.
#   scripts/compare_models.sh [CLIP|DIR …]          (default: ../shared/clips)
#   MODELS="movenet-thunder blazepose-full" scripts/compare_models.sh …
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${KNEETRACK:-./target/release/kneetrack}
read -r -a models <<<"${MODELS:-movenet-thunder blazepose-full}"
[ "${#models[@]}" -eq 2 ] || { echo "MODELS must name two models" >&2; exit 2; }
inputs=("$@")
[ "${#inputs[@]}" -gt 0 ] || inputs=(../shared/clips)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for m in "${models[@]}"; do
  "$bin" analyze -q -m "$m" --json "$out/$m" "${inputs[@]}" >/dev/null 2>&1 || true
done
python3 - "$out" "${models[@]}" <<'PY'
import json, os, statistics, sys
out, a, b = sys.argv[1:4]

def per_leg(path):
    """Per leg: median over the listed reps of the peak FPPA (where measurable) and of the drift
    at the bottom, and the leg's verdict where it was judged; with the clip's verdict."""
    try:
        r = json.load(open(path))["assessment"]
    except (OSError, ValueError):
        return None
    legs = {}
    for side in ("right", "left"):
        values = [l for rep in r["reps"] for l in rep["legs"] if l["side"] == side]
        if not values:
            continue
        med = lambda xs: statistics.median(xs) if xs else None
        legs[side] = (
            med([l["peak_fppa_deg"] for l in values if l["peak_fppa_deg"] is not None]),
            med([l["drift_at_bottom"] for l in values if l["drift_at_bottom"] is not None]),
            r.get("legs", {}).get(side, {}).get("verdict", "—"),
        )
    return r["verdict"], legs

fmt = lambda v, f: "—" if v is None else f(v)
names = sorted(set(os.listdir(os.path.join(out, a))) & set(os.listdir(os.path.join(out, b))))
print(f"{'clip':<54} {'leg':<5} {'FPPA '+a:>22} {'FPPA '+b:>22} {'ΔFPPA':>7} {'Δdrift':>7}  verdicts")
dfppa, ddrift = [], []
for n in names:
    ra, rb = per_leg(os.path.join(out, a, n)), per_leg(os.path.join(out, b, n))
    if not ra or not rb:
        continue
    clip = n.replace(".kneetrack.json", "")[:54]
    sides = [s for s in ("right", "left") if s in ra[1] and s in rb[1]]
    if not sides:
        print(f"{clip:<54} {'—':<5} {'':>22} {'':>22} {'':>7} {'':>7}  {ra[0]} / {rb[0]} (no reps in both)")
    for side in sides:
        (fa, da, va), (fb, db, vb) = ra[1][side], rb[1][side]
        df = None if fa is None or fb is None else fb - fa
        dd = None if da is None or db is None else db - da
        if df is not None:
            dfppa.append(abs(df))
        if dd is not None:
            ddrift.append(abs(dd))
        print(f"{clip:<54} {side:<5} {fmt(fa, lambda v: f'{v:.1f}°'):>22} {fmt(fb, lambda v: f'{v:.1f}°'):>22} "
              f"{fmt(df, lambda v: f'{v:+.1f}°'):>7} {fmt(dd, lambda v: f'{100*v:+.0f}%'):>7}  {va} / {vb} (clip {ra[0]} / {rb[0]})")
summary = []
if dfppa:
    summary.append(f"peak FPPA on {len(dfppa)} legs: median |Δ| {statistics.median(dfppa):.1f}°, largest {max(dfppa):.1f}°")
if ddrift:
    summary.append(f"drift on {len(ddrift)} legs: median |Δ| {100*statistics.median(ddrift):.0f}% of a shank length, largest {100*max(ddrift):.0f}%")
print("\n" + "; ".join(summary))
PY
