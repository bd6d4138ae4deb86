"""Independent reference for dimsNeededPaper (numpy).

A port of the authors' draw_figure4h_num_dims_retained_chatgpt.m (ChangdeDu/LLMs_core_dimensions,
analysis_and_figure_drawing/), written from shared/docs/authors-procedures.md item 7:
  order = stable ascending argsort of each row (weakest dim first); level L zeroes every object's L weakest dims;
  accuracy per level with the tie-break generator reset; reversed so index k = dims retained (0 … D-1);
  cut-offs 0.95*acc and 0.99*acc (the code's form); mindim = first k with acc_k > cut95, maxdim = last k with
  acc_k < cut99; r_k = corr(lowertri(S_full), lowertri(S_level)), S = embedding2sim (context all objects,
  divided by n - 2, diagonal 1); mindim2 = first k with r^2 > 0.95, maxdim2 = last k with r^2 < 0.99; NaN fails.
Tie-breaking: as the authors, one draw whenever the maximum is tied, picking among the tied positions in the order
(ab, ac, bc); correct iff the pick is ab. The draw is MATLAB's randi with rng(42) there and the generator of
r48_rng.py here (the TypeScript one), so accuracies can be compared exactly. Integer weights make ties common.

Run (from the repository root):
  python3 packages/spose-embed/reference/dims_reference.py > packages/spose-embed/reference/dims_reference.json
"""
import json
import numpy as np
from r48_rng import Rng

n, D, T, SEED = 40, 6, 500, 42
gen = np.random.default_rng(466)
E = gen.integers(0, 3, size=(n, D)).astype(float) * (gen.random((n, D)) < 0.7)
trip = []
for _ in range(T):
    a, b, c = (int(v) for v in gen.choice(n, size=3, replace=False))
    s = np.array([E[a] @ E[b], E[a] @ E[c], E[b] @ E[c]]) + gen.normal(0, 1.0, 3)   # a noisy observer
    trip.append([(a, b, c), (a, c, b), (b, c, a)][int(np.argmax(s))])


def accuracy(X, seed):
    rng = Rng(seed)
    S = X @ X.T
    hits = 0
    for a, b, c in trip:
        sab, sac, sbc = S[a, b], S[a, c], S[b, c]
        m = max(sab, sac, sbc)
        tied = [p for p, v in enumerate((sab, sac, sbc)) if v == m]
        pick = tied[0] if len(tied) == 1 else tied[rng.next_int(len(tied))]   # MATLAB: tmp(randi(#ties))
        hits += pick == 0
    return hits / len(trip)


def embedding2sim(X):
    e = np.exp(X @ X.T)
    cp = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            k = np.array([k for k in range(n) if k != i and k != j])
            cp[i, j] = cp[j, i] = np.sum(e[i, j] / (e[i, j] + e[i, k] + e[j, k])) / (n - 2)
    np.fill_diagonal(cp, 1)
    return cp


def lowertri(M):
    return np.array([M[i, j] for j in range(n) for i in range(j + 1, n)])


full_acc = accuracy(E, SEED)
full_low = lowertri(embedding2sim(E))
order = np.argsort(E, axis=1, kind='stable')
X = E.copy()
acc_levels, r_levels = [], []
for L in range(D):
    X[np.arange(n), order[:, L]] = 0
    acc_levels.append(accuracy(X, SEED))
    lv = lowertri(embedding2sim(X))
    r_levels.append(np.nan if np.ptp(lv) == 0 else float(np.corrcoef(full_low, lv)[0, 1]))
acc = acc_levels[::-1]
r = np.array(r_levels[::-1])
cut95, cut99 = 0.95 * full_acc, 0.99 * full_acc
first = lambda v: int(np.flatnonzero(v)[0]) if np.any(v) else None
last = lambda v: int(np.flatnonzero(v)[-1]) if np.any(v) else None
with np.errstate(invalid='ignore'):
    out = {
        'embedding': E.ravel().tolist(), 'nObjects': n, 'dims': D, 'triplets': trip, 'seed': SEED,
        'fullAccuracy': full_acc, 'accuracy': acc, 'similarityR': [None if np.isnan(v) else float(v) for v in r],
        'accuracyDims': [first(np.array(acc) > cut95), last(np.array(acc) < cut99)],
        'similarityDims': [first(r ** 2 > 0.95), last(r ** 2 < 0.99)],
    }
print(json.dumps(out))
