"""Independent reference for r48, its CI and the r48 curve (numpy).

A port of the authors' draw_figure2b_rsm_chatgpt.m and draw_figure2a_step2_r48_values_against_dims_retained_*.m
(ChangdeDu/LLMs_core_dimensions, analysis_and_figure_drawing/), written from shared/docs/authors-procedures.md item 6:
  cp_ij = sum over k in idx48, k not in {i, j}, of e_ij/(e_ij + e_ik + e_jk), divided by 48; e = exp(E E')
  r48   = corr(lowertri(cp(idx48, idx48)), lowertri(measured S48)), lowertri = strict lower, column-major
  CI    = tanh(atanh(r48) +- 1.96 * std(atanh(r_b), ddof=1)) over 1,000 pair resamples
The measured similarity follows the authors' measured-similarity script (chosen pair / co-occurrence, 0 if never
together, diagonal 1). The resample indices come from r48_rng.py (the same generator as the TypeScript code) instead
of MATLAB's rng(2)/randi, so the CI can be compared to 1e-9. The data are simulated here with numpy's own generator.

Run (from the repository root):
  python3 packages/spose-embed/reference/r48_reference.py > packages/spose-embed/reference/r48_reference.json
"""
import json
import numpy as np
from r48_rng import bootstrap_indices

n, D, B, SEED = 120, 6, 1000, 7
gen = np.random.default_rng(48)
true = gen.gamma(0.6, 0.8, size=(n, D)) * (gen.random((n, D)) < 0.6)
model = np.abs(true + gen.normal(0, 0.25, size=(n, D)))            # the embedding being scored
idx48 = [int(v) for v in gen.choice(n, size=48, replace=False)]    # the 48, in list order
rest = [o for o in range(n) if o not in set(idx48)]

# The authors' 48 design (two of the 48 then one other), answered by the SPoSE choice rule on `true`.
answered = []
for _ in range(8000):
    a, b = gen.choice(idx48, size=2, replace=False)
    c = rest[gen.integers(len(rest))]
    s = np.array([true[a] @ true[b], true[a] @ true[c], true[b] @ true[c]])
    p = np.exp(s - s.max()); p /= p.sum()
    pick = gen.choice(3, p=p)
    answered.append([int(v) for v in ((a, b, c), (a, c, b), (b, c, a))[pick]])


def measured(lines, n):
    chosen = np.zeros((n, n)); together = np.zeros((n, n))
    for a, b, c in lines:
        chosen[a, b] += 1; chosen[b, a] += 1
        for x, y in ((a, b), (a, c), (b, c)):
            together[x, y] += 1; together[y, x] += 1
    s = np.zeros((n, n)); m = together > 0
    s[m] = chosen[m] / together[m]
    np.fill_diagonal(s, 1)
    return s


def lowertri(M):
    m = M.shape[0]
    return np.array([M[i, j] for j in range(m) for i in range(j + 1, m)])


def cp48(E):
    esim = np.exp(E @ E.T)
    cp = np.zeros((48, 48))
    for a in range(48):
        for b in range(a + 1, 48):
            i, j = idx48[a], idx48[b]
            tot = 0.0
            for k in idx48:
                if k == i or k == j:
                    continue
                tot += esim[i, j] / (esim[i, j] + esim[i, k] + esim[j, k])
            cp[a, b] = cp[b, a] = tot / 48
    np.fill_diagonal(cp, 1)
    return cp


S = measured(answered, n)
S48 = S[np.ix_(idx48, idx48)]
x, y = lowertri(cp48(model)), lowertri(S48)
r = float(np.corrcoef(x, y)[0, 1])
P = len(x)
rb = []
for ix in bootstrap_indices(P, B, SEED):
    ix = np.array(ix)
    rb.append(np.corrcoef(x[ix], y[ix])[0, 1])
z = np.arctanh(np.array(rb)); z = z[np.isfinite(z)]
sd = z.std(ddof=1)
curve = [float(np.corrcoef(lowertri(cp48(model[:, :d])), y)[0, 1]) for d in range(1, D + 1)]
print(json.dumps({
    'nObjects': n, 'dims': D, 'embedding': model.ravel().tolist(), 'objects48': idx48, 'answered': answered,
    'bootstrap': B, 'seed': SEED,
    'predicted48': cp48(model).ravel().tolist(), 'r48': r,
    'ciLow': float(np.tanh(np.arctanh(r) - 1.96 * sd)), 'ciHigh': float(np.tanh(np.arctanh(r) + 1.96 * sd)),
    'sdZ': float(sd), 'curve': curve,
}))
