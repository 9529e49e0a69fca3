#!/usr/bin/env bash
# Writes every output kneetrack makes for the bundled samples into DIR, with the run-dependent
# numbers (timings) blanked, so that two builds can be compared with `diff -r`:
#   scripts/snapshot_outputs.sh /tmp/before   # on the old build
#   scripts/snapshot_outputs.sh /tmp/after    # on the new build
#   diff -r /tmp/before /tmp/after
# Used to show that a refactor leaves the outputs byte-identical.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/snapshot_outputs.sh DIR}
bin=${KNEETRACK:-./target/release/kneetrack}
mkdir -p "$out"
blank_timing() {
  # JSON "timing" numbers and the HTML's "decode … s, pose … s" line vary from run to run.
  sed -E -e 's/("(decode_s|pose_s|inference_s|assess_s|wall_s)": )[0-9.eE+-]+/\1T/' \
    -e 's/decode [0-9.]+ s, pose [0-9.]+ s/decode T s, pose T s/g'
}
for s in good valgus double-leg; do
  for m in movenet-thunder blazepose-full; do
    tag="$s.$m"
    "$bin" analyze "samples/$s.mp4" -m "$m" --json "$out/$tag.json" --csv "$out/$tag.csv" \
      --html "$out/$tag.html" >"$out/$tag.txt" 2>&1
    for f in "$out/$tag.json" "$out/$tag.html"; do blank_timing <"$f" >"$f.t" && mv "$f.t" "$f"; done
  done
done
# A batch: summary.csv, index.html and the per-clip reports.
"$bin" analyze samples -q --out "$out/batch" >"$out/batch.txt" 2>&1 || true
for f in "$out"/batch/*.json "$out"/batch/*.html; do blank_timing <"$f" >"$f.t" && mv "$f.t" "$f"; done
# Usage errors: their text and exit status.
{
  "$bin" analyze samples/good.mp4 -m no-such-model; echo "exit $?"
  echo '{"fppa_good": 1}' >"$out/bad-thresholds.json"
  "$bin" analyze samples/good.mp4 --thresholds "$out/bad-thresholds.json"; echo "exit $?"
} >"$out/errors.txt" 2>&1 || true
echo "snapshot in $out"
