"""Fixtures and reference values for the reproduction's r48, human-consistency and correspondence checks,
made with numpy only (never conceptlab's code). Run from the repository root:
    python3 apps/repro/reference/simulated48.py ../shared/data
It writes apps/repro/reference/answers48_{human,model}.npy (the answered 48-object designs: int16 rows
"a b odd", 0-based, odd one out last) and prints the reference JSON, saved as
apps/repro/reference/simulated48.json.

- The 48 objects: every 38th THINGS object (0, 38, …, 1786).
- "human": 20,000 sets of two of the 48 + one of the other 1,806 (numpy default_rng(1)), answered by the
  human VICE embedding under the SPoSE choice rule (T = 1).
- "model": another 20,000 sets (default_rng(2)) answered by a degraded model: the VICE embedding's first 30
  dims only (T = 1).
- Measured similarity as the authors' script (kept pair / co-occurrence, 0 if never together, diagonal 1),
  split halves in file order; predicted similarity in the 48-object context divided by 48; r48 of the full
  VICE embedding against the human answers; human consistency rho = r_mh / sqrt(r_mm r_hh) (no Spearman–Brown).
- Correspondence: the VICE embedding (reference) against a derived model embedding built without random
  numbers (with p(d) = 5d mod 42: columns d < 36 are VICE column p(d), columns 36 + e are VICE columns p(e) + p(e + 6);
  plus 0.1·sin(1.3 i + 0.7 d), clipped at 0), by the authors' procedure.
"""
import json, sys
import numpy as np

data = sys.argv[1] if len(sys.argv) > 1 else '../shared/data'
out_dir = 'apps/repro/reference'
E = np.load(f'{data}/things/human_embedding_vice42.npy').astype(np.float64)
n = E.shape[0]
idx48 = np.arange(0, n, 38)[:48]
others = np.setdiff1d(np.arange(n), idx48)

def design_answers(X, count, seed):
    rng = np.random.default_rng(seed)
    rows = np.empty((count, 3), np.int64)
    for t in range(count):
        a, b = rng.choice(idx48, 2, replace=False)
        c = rng.choice(others)
        s = np.array([X[a] @ X[b], X[a] @ X[c], X[b] @ X[c]])
        p = np.exp(s - s.max()); p /= p.sum()
        kept = rng.choice(3, p=p)            # 0: (a,b) kept → c odd; 1: (a,c) → b odd; 2: (b,c) → a odd
        rows[t] = [(a, b, c), (a, c, b), (b, c, a)][kept]
    return rows

def measured(rows):
    """Kept-pair counts over co-occurrences (authors' script), vectorised: 0 where never together, diagonal 1."""
    rows = np.asarray(rows)
    kept = np.zeros((n, n)); np.add.at(kept, (rows[:, 0], rows[:, 1]), 1)
    seen = np.zeros((n, n))
    for u, v in ((0, 1), (0, 2), (1, 2)):
        np.add.at(seen, (rows[:, u], rows[:, v]), 1)
    kept += kept.T; seen += seen.T
    S = np.divide(kept, seen, out=np.zeros((n, n)), where=seen > 0)
    np.fill_diagonal(S, 1)
    return S[np.ix_(idx48, idx48)]

def lowertri(M):                               # column-major strictly lower triangle, as MATLAB
    r, c = np.tril_indices(M.shape[0], -1)
    o = np.lexsort((r, c))
    return M[r[o], c[o]]

def cp48(X):
    Y = X[idx48]; es = np.exp(Y @ Y.T); m = len(idx48)
    cp = np.ones((m, m))
    for i in range(m):
        for j in range(i):
            k = np.array([q for q in range(m) if q != i and q != j])
            cp[i, j] = cp[j, i] = (es[i, j] / (es[i, j] + es[i, k] + es[j, k])).sum() / m
    return cp

def boot_ci(x, y, B=1000, seed=2):
    rng = np.random.default_rng(seed); r = np.corrcoef(x, y)[0, 1]
    z = [np.arctanh(np.corrcoef(x[i], y[i])[0, 1]) for i in rng.integers(0, len(x), (B, len(x)))]
    sd = np.std(z, ddof=1)
    return r, float(np.tanh(np.arctanh(r) - 1.96 * sd)), float(np.tanh(np.arctanh(r) + 1.96 * sd))

human = design_answers(E, 20000, 1)
model = design_answers(E[:, :30], 20000, 2)
np.save(f'{out_dir}/answers48_human.npy', human.astype(np.int16))
np.save(f'{out_dir}/answers48_model.npy', model.astype(np.int16))

Sh, Sm = measured(human), measured(model)
x = lowertri(cp48(E)); y = lowertri(Sh)
r48, lo, hi = boot_ci(x, y)
half = lambda rows: (measured(rows[: len(rows) // 2]), measured(rows[len(rows) // 2:]))
h1, h2 = half(human); m1, m2 = half(model)
r_mh, mlo, mhi = boot_ci(lowertri(Sm), lowertri(Sh))
r_mm = np.corrcoef(lowertri(m1), lowertri(m2))[0, 1]
r_hh = np.corrcoef(lowertri(h1), lowertri(h2))[0, 1]
rho = r_mh / np.sqrt(r_mm * r_hh)

# correspondence, the authors' procedure (draw_figure5d_*.m; authors-procedures item 1)
i = np.arange(n)[:, None]; d = np.arange(42)[None, :]
p = (5 * np.arange(42)) % 42
base = np.concatenate([E[:, p[:36]], E[:, p[:6]] + E[:, p[6:12]]], 1)   # 36 permuted dims + 6 mixtures
M = np.maximum(0, base + 0.1 * np.sin(1.3 * i + 0.7 * d))
C = np.corrcoef(E.T, M.T)[:42, 42:]
ii = np.array([int(np.argmax(C[:, j])) for j in range(42)])
for j in range(1, 42):
    if ii[j] in ii[:j]: ii[j] = 10_000
si = np.argsort(ii, kind='stable')
R = np.corrcoef(E.T); np.fill_diagonal(R, 1)
Cad = C[:, si] - (R - np.eye(42))
T = np.where(Cad < 0.4, 0, Cad)
for row in T:
    o = np.argsort(-row, kind='stable'); row[o[2:]] = 0
# shared vs unique (two-way, authors' first-free at 0.2 on Cadapt without threshold)
free = list(range(42)); shared = 0
for r_ in range(42):
    for j in list(free):
        if Cad[r_, j] >= 0.2:
            free.remove(j); shared += 1; break

print(json.dumps({
    'objects48': idx48.tolist(), 'answers': 20000,
    'r48': dict(r=float(r48), ciLow=lo, ciHigh=hi, pairs=len(x), unmeasured=int((y == 0).sum())),
    'consistency': dict(rho=float(rho), rModelHuman=float(r_mh), rModelModel=float(r_mm), rHumanHuman=float(r_hh),
                        rhoCiLow=float(mlo + rho - r_mh), rhoCiHigh=float(mhi + rho - r_mh)),
    'correspondence': dict(si=si.tolist(), adaptedDiagonal=np.diag(Cad).tolist(), nonZero=int((T > 0).sum()),
                           nonZeroRows=int((T > 0).any(1).sum()), shared=shared),
}, indent=1))
