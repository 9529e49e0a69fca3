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
def legs(path):
    try:
        r = json.load(open(path))["assessment"]
    except (OSError, ValueError):
        return None
    return r["verdict"], {s: l for s, l in r.get("legs", {}).items()}
names = sorted(set(os.listdir(os.path.join(out, a))) & set(os.listdir(os.path.join(out, b))))
print(f"{'clip':<58} {'leg':<5} {a+' FPPA':>18} {b+' FPPA':>18} {'ΔFPPA':>7} {'Δdrift':>7}  verdicts")
dfppa, ddrift = [], []
for n in names:
    ra, rb = legs(os.path.join(out, a, n)), legs(os.path.join(out, b, n))
    if not ra or not rb:
        continue
    clip = n.replace(".kneetrack.json", "")[:58]
    shown = False
    for side in ("right", "left"):
        la, lb = ra[1].get(side), rb[1].get(side)
        if not la or not lb:
            continue
        fa, fb = la["median_peak_fppa_deg"], lb["median_peak_fppa_deg"]
        da, db = la.get("median_drift"), lb.get("median_drift")
        dd = (db - da) if da is not None and db is not None else None
        dfppa.append(abs(fb - fa))
        if dd is not None:
            ddrift.append(abs(dd))
        print(f"{clip:<58} {side:<5} {fa:>17.1f}° {fb:>17.1f}° {fb - fa:>6.1f}° {'' if dd is None else f'{100*dd:+.0f}%':>7}  {la['verdict']} / {lb['verdict']}")
        shown = True
    if not shown:
        print(f"{clip:<58} {'—':<5} {'':>18} {'':>18} {'':>7} {'':>7}  {ra[0]} / {rb[0]} (no leg judged by both)")
if dfppa:
    print(f"\nlegs judged by both: {len(dfppa)}; median |ΔFPPA| {statistics.median(dfppa):.1f}°, "
          f"largest {max(dfppa):.1f}°" + (f"; median |Δdrift| {100*statistics.median(ddrift):.0f}% of a shank length, largest {100*max(ddrift):.0f}%" if ddrift else ""))
PY
