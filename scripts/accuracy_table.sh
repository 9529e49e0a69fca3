#!/usr/bin/env bash
# The README's "Accuracy on synthetic clips with known truth" table, from runs: each model reads
# samples/{good,valgus,double-leg}.mp4 and its report is held against the .truth.json the same
# way tests/synthetic_accuracy.rs does (reps paired in order, the FPPA at each rep bottom against
# the true one, the median over all judged legs and reps, the mean of the middle two for an even
# count).
#   scripts/accuracy_table.sh                    (models: thunder, blazepose-full, -lite, -heavy)
#   MODELS="movenet-lightning" scripts/accuracy_table.sh
# A model that is not in models/ (blazepose-heavy is built on demand: scripts/build_models.sh
# blazepose-heavy) gets a row saying so. The JSON reports are kept when KEEP=DIR is set.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${KNEETRACK:-./target/release/kneetrack}
read -r -a models <<<"${MODELS:-movenet-thunder blazepose-full blazepose-lite blazepose-heavy}"
samples=(good valgus double-leg)
if [[ -n ${KEEP:-} ]]; then
  out=$KEEP
  mkdir -p "$out"
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
echo "| model | good (5° valgus) | valgus (22–27°, wobble) | double-leg (6°) |"
echo "|---|---|---|---|"
for m in "${models[@]}"; do
  if [[ $m == blazepose-* && ! -f models/$m.onnx ]]; then
    echo "| $m | not built (scripts/build_models.sh $m) | | |"
    continue
  fi
  cells=()
  for s in "${samples[@]}"; do
    report="$out/$s.$m.json"
    if ! "$bin" analyze -q -m "$m" --json "$report" "samples/$s.mp4" >/dev/null 2>"$out/$s.$m.err"; then
      cells+=("analysis failed: $(head -c 200 "$out/$s.$m.err")")
      continue
    fi
    cells+=("$(python3 - "samples/$s.truth.json" "$report" <<'PY'
import json, sys
truth = json.load(open(sys.argv[1]))
a = json.load(open(sys.argv[2]))["assessment"]
reps, true_reps = a["reps"], truth["reps"]
errors = []
for rep, t in zip(reps, true_reps):
    for leg in rep["legs"]:
        got = leg.get("fppa_at_bottom_deg")
        if got is not None:
            errors.append(abs(got - t["fppa_at_bottom_deg"][leg["side"]]))
errors.sort()
head = f"{len(reps)}/{len(true_reps)} reps"
if not errors:
    print(f"{head}, no angle measured, {a['verdict']}")
    sys.exit()
mid = len(errors) // 2
median = errors[mid] if len(errors) % 2 else (errors[mid - 1] + errors[mid]) / 2
print(f"{head}, error {median:.2f}° median ({errors[-1]:.2f}° max), {a['verdict']}")
PY
)")
  done
  echo "| $m | ${cells[0]} | ${cells[1]} | ${cells[2]} |"
done
