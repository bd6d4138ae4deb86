"""Independent reference values for @conceptlab/core stats tests (numpy 2.4, scipy 1.17).
Run: python3 packages/core/reference/stats_reference.py > packages/core/reference/stats_reference.json
(the tests read the JSON). MATLAB's prctile is numpy's method='hazen' (position n*p/100 + 0.5, clamped)."""
import json
import numpy as np
from scipy import special, stats

x = np.sin(1.7 * np.arange(1000))          # the same vector the test builds
ps = [0, 0.01, 2.5, 25, 37.3, 50, 97.5, 99.99, 100]
out = {'prctile_sin1000': {str(p): float(np.percentile(x, p, method='hazen')) for p in ps}}
y = np.sin(1.7 * np.arange(7))
out['prctile_sin7'] = {str(p): float(np.percentile(y, p, method='hazen')) for p in ps}
out['sd_sin1000'] = float(x.std(ddof=1))
rb = 0.5 + 0.1 * np.sin(np.arange(200))      # bootstrap correlations
z = np.arctanh(rb); sd = z.std(ddof=1)
out['fisher'] = dict(low=float(np.tanh(np.arctanh(0.51) - 1.96 * sd)), high=float(np.tanh(np.arctanh(0.51) + 1.96 * sd)), sdZ=float(sd))

# numpy's default percentile ('linear') and median, on the same vectors
out['percentile_linear_sin1000'] = {str(p): float(np.percentile(x, p)) for p in ps}
out['percentile_linear_sin7'] = {str(p): float(np.percentile(y, p)) for p in ps}
out['median_sin1000'] = float(np.median(x))
out['median_sin7'] = float(np.median(y))

# scipy.stats.rankdata (average ties) of a vector with ties
t = np.round(3 * np.sin(1.3 * np.arange(40)))
out['ranks_ties'] = dict(x=[float(v) for v in t], ranks=[float(v) for v in stats.rankdata(t)])

# Pearson: np.corrcoef of two 1000-vectors; columnCorrelations of a 50 x 4 and a 50 x 3 matrix
u = np.cos(0.9 * np.arange(1000)) + 0.3 * x
out['pearson_sin_cos1000'] = float(np.corrcoef(x, u)[0, 1])
A = np.sin(np.outer(np.arange(50), [0.3, 1.1, 2.3, 0.7]) + np.array([0, 1, 2, 3]))
B = np.cos(np.outer(np.arange(50), [0.5, 1.7, 0.2]))
out['colcorr'] = dict(a=A.tolist(), b=B.tolist(), ab=np.corrcoef(A.T, B.T)[:4, 4:].tolist(), aa=np.corrcoef(A.T).tolist(),
                      pairs=[float(stats.pearsonr(A[:, c], B[:, c] + A[:, c + 1]).statistic) for c in range(3)])

# Benjamini-Hochberg on 30 p-values (with ties)
pv = np.round(np.abs(np.sin(2.1 * np.arange(30))) ** 3, 3)
out['bh'] = dict(p=[float(v) for v in pv], q=[float(v) for v in stats.false_discovery_control(pv, method='bh')])

# log Gamma (the former spose-embed cases plus a few more)
lg = [0.1, 0.5, 1, 1.5, 2, 3.7, 10, 24.5, 100, 1000.5, 1e-5, 0.999, 1855, 123456.5]
out['gammaln'] = [dict(x=v, value=float(special.gammaln(v))) for v in lg]

# symmetric eigen-decomposition of a 12 x 12 symmetric matrix: eigenvalues (descending) and |vectors|
rs = np.sin(np.outer(np.arange(12), np.arange(12)) * 0.37 + 0.2)
S = rs + rs.T
w, V = np.linalg.eigh(S)
order = np.argsort(-w)
out['eigh'] = dict(a=S.ravel().tolist(), values=w[order].tolist(), absVectors=np.abs(V[:, order]).ravel().tolist())
print(json.dumps(out, indent=1))
