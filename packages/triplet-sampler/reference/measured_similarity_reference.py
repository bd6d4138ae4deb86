"""Independent reference for measuredSimilarity / measuredSimilarityHalves (numpy).

A port of the authors' get_measured_similarity_matrix_from_full_sampling_of_48_objects_ChatGPT-3.5.py
(ChangdeDu/LLMs_core_dimensions, analysis_and_figure_drawing/): per answered line "a b odd", the chosen pair
(a, b) counts once in both orders and all three pairs co-occur once; S = count / co-occurrence for pairs that
co-occur, 0 otherwise, diagonal 1; split halves are the first len//2 lines vs the rest, in file order.
Written from the description in shared/docs/authors-procedures.md item 6, not copied.

Run (from the repository root):
  python3 packages/triplet-sampler/reference/measured_similarity_reference.py \
      > packages/triplet-sampler/reference/measured_similarity_reference.json
"""
import json
import numpy as np


def measured(lines, n):
    chosen = np.zeros((n, n), dtype=np.int64)
    together = np.zeros((n, n), dtype=np.int64)
    for a, b, c in lines:
        chosen[a, b] += 1
        chosen[b, a] += 1
        for x, y in ((a, b), (a, c), (b, c)):
            together[x, y] += 1
            together[y, x] += 1
    s = np.zeros((n, n))
    seen = together > 0
    s[seen] = chosen[seen] / together[seen]
    np.fill_diagonal(s, 1)
    return s


rng = np.random.default_rng(20250611)
n = 12
# 301 answered lines over objects 0..10 (object 11 never appears, so its pairs stay 0); an odd count so that
# the halves are 150 and 151 lines.
lines = []
while len(lines) < 301:
    t = rng.choice(11, size=3, replace=False)
    lines.append([int(v) for v in t])
mid = len(lines) // 2
out = {
    'nObjects': n,
    'answered': lines,
    'full': measured(lines, n).ravel().tolist(),
    'firstHalf': measured(lines[:mid], n).ravel().tolist(),
    'secondHalf': measured(lines[mid:], n).ravel().tolist(),
}
print(json.dumps(out))
