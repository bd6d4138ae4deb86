"""Independent reference values for the fast paths of issue 14, in numpy/scipy (rsatoolbox's calls, written
here; rsatoolbox itself is not installed in this workplace):

- euclideanGram: rsatoolbox's calc_rdm_euclidean on a small pattern matrix: squared row norms + their
  transpose − 2·np.dot(X, Xᵀ), upper triangle (np.triu mask), divided by the channels; and the same distances
  from the differences (scipy pdist 'sqeuclidean' / p), which computeRdm's default reproduces. Rows 5 and 6
  are nearly identical (1e-7 apart), so the two forms differ there (the cancellation the option documents).
- bootstrapTauA: for given sorted condition picks, rsatoolbox's subsample_pattern (squareform, NaN diagonal,
  fancy indexing, squareform back) of a model RDM and 3 data RDMs (with tied values), then rsatoolbox's
  _tau_a (mergesort argsorts, scipy's _kendall_dis, tie counts) of the model against each data RDM on the
  non-NaN pairs: one value per data RDM and resample.

Command (from packages/neuro-rsa):  python3 reference/rsa_speed_reference.py > reference/rsa_speed_reference.json
"""
import json

import numpy as np
from scipy.spatial.distance import pdist, squareform
from scipy.stats._stats import _kendall_dis

rng = np.random.default_rng(14)

# --- euclidean, Gram form ---
x = rng.normal(size=(7, 9)) + np.linspace(-1, 1, 9)
x[6] = x[5] + 1e-7
sq = np.sum(x ** 2, axis=1, keepdims=True)
full = sq + sq.T - 2 * np.dot(x, x.T)
gram = full[np.triu(np.ones_like(full, dtype=bool), k=1)] / x.shape[1]
differences = pdist(x, 'sqeuclidean') / x.shape[1]


# --- tau-a over condition resamples ---
def rank_sorted(other, key):
    order = np.argsort(key, kind='mergesort')
    other, key = other[order], key[order]
    return other, np.r_[True, key[1:] != key[:-1]].cumsum(dtype=np.intp)


def ties(r):
    c = np.bincount(r).astype('int64')
    c = c[c > 1]
    return (c * (c - 1) // 2).sum()


def tau_a(a, b):
    size = a.size
    a, b = rank_sorted(a, b)
    b, a = rank_sorted(b, a)
    dis = _kendall_dis(a, b)
    runs = np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1]), True]
    cnt = np.diff(np.nonzero(runs)[0]).astype('int64')
    both = (cnt * (cnt - 1) // 2).sum()
    tot = size * (size - 1) // 2
    return min(1.0, max(-1.0, (tot - ties(a) - ties(b) + both - 2 * dis) / tot))


def subsample(v, picks):
    m = squareform(v)
    np.fill_diagonal(m, np.nan)
    return squareform(m[picks][:, picks], checks=False)


n = 12
pairs = n * (n - 1) // 2
model = np.round(rng.uniform(size=pairs) * 6) / 2  # tied values
data = [model + rng.normal(0, 1, pairs), np.round(rng.uniform(size=pairs) * 4), rng.uniform(size=pairs)]
picks = [np.sort(rng.integers(0, n, n)) for _ in range(25)]
values = []
for p in picks:
    mv = subsample(model, p)
    keep = ~np.isnan(mv)
    values.append([tau_a(mv[keep], subsample(d, p)[keep]) for d in data])

print(json.dumps({
    'euclideanGram': {'patterns': x.tolist(), 'gram': gram.tolist(), 'differences': differences.tolist()},
    'bootstrapTauA': {
        'n': n,
        'model': model.tolist(),
        'data': [d.tolist() for d in data],
        'picks': [p.tolist() for p in picks],
        'tauA': values,
    },
}, indent=1))
