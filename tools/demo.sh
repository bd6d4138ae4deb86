#!/usr/bin/env bash
# The main job available today, on the reference data: how consistent are people, how close is
# gpt-3.5-turbo to them, and how well does a human-derived embedding predict their choices?
# Uses the built `conceptlab` command (run `npm run build` first). Writes to ./out/demo.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${CONCEPTLAB_DATA:-../shared/data}"
if [ ! -f "$DATA/things/things_concepts.tsv" ]; then
  echo "demo: reference data not found at $DATA (set CONCEPTLAB_DATA to the folder holding things/ and llm-triplets/)" >&2
  exit 1
fi
CL="node apps/cli/bin/conceptlab.js"
OUT=out/demo
mkdir -p "$OUT"

echo "== 1. Human noise ceiling of the THINGS noise-ceiling set (published: 67.22 ± 1.04)"
$CL noise-ceiling "$DATA/things/human_noise_ceiling_triplets.tsv"

echo "== 2. gpt-3.5-turbo vs people on 2,171 THINGS triplets (paper: about 35%)"
$CL agreement "$DATA/llm-triplets/2171trials_humans.txt" "$DATA/llm-triplets/2171trials_gpt-3.5-turbo.txt"

echo "== 3. A simulated observer: the human VICE embedding (1854×42) under the SPoSE choice rule"
$CL simulate --embedding "$DATA/things/human_embedding_vice42.npy" --triplets "$DATA/llm-triplets/2171trials_humans.txt" \
  --argmax --out "$OUT/embedding_argmax.txt"
echo -n "   vs people:        "; $CL agreement "$DATA/llm-triplets/2171trials_humans.txt" "$OUT/embedding_argmax.txt"
echo -n "   vs gpt-3.5-turbo: "; $CL agreement "$DATA/llm-triplets/2171trials_gpt-3.5-turbo.txt" "$OUT/embedding_argmax.txt"

echo "== 4. A THINGS-scale design: 4.7 million uniform random triplets over 1,854 objects, split 90/10"
$CL sample --objects 1854 --count 4700000 --seed 1 --split 0.9 --out "$OUT/triplets.npy"
