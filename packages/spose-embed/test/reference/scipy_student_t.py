#!/usr/bin/env python3
"""Reference values for src/stats/student-t.test.ts and src/early-stopping.test.ts, from scipy
(log Γ moved to @conceptlab/core/stats: packages/core/reference/stats_reference.py).

    python3 test/reference/scipy_student_t.py      (from packages/spose-embed)

writes test/fixtures/scipy-student-t.json. Generated with scipy 1.17.1 / numpy 2.x.
"""
import json
import os

import numpy as np
import scipy
from scipy import special, stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'fixtures', 'scipy-student-t.json')

t_cases = [(0.0, 1), (0.5, 1), (-1.3, 2), (2.0, 3), (1.0, 48), (-2.5, 48), (4.0, 48), (10.0, 48),
           (0.1, 100), (3.0, 5.5), (30.0, 10), (1e-8, 48), (-0.7, 0.5), (2.0, 1e6)]
beta_cases = [(0.3, 2.0, 3.0), (0.9, 0.5, 0.5), (0.01, 24.0, 0.5), (0.999, 24.0, 0.5), (0.5, 100.0, 100.0),
              (0.2, 1.0, 1.0), (0.7, 5.0, 0.5), (0.05, 0.5, 24.0)]

rng = np.random.default_rng(3)
regressions = []
x = np.arange(50)
for kind in ['falling', 'rising', 'flat', 'noisy-falling']:
    if kind == 'falling':
        y = 1.0 - 0.002 * x + 0.001 * rng.standard_normal(50)
    elif kind == 'rising':
        y = 1.0 + 0.001 * x + 0.001 * rng.standard_normal(50)
    elif kind == 'flat':
        y = 0.8 + 0.001 * rng.standard_normal(50)
    else:
        y = 0.8 - 0.00005 * x + 0.002 * rng.standard_normal(50)
    r = stats.linregress(x, y)
    regressions.append({'kind': kind, 'y': [float(v) for v in y], 'slope': float(r.slope), 'intercept': float(r.intercept),
                        'r': float(r.rvalue), 'p': float(r.pvalue), 'stderr': float(r.stderr)})
r = stats.linregress([0, 1, 2], [1, 2, 3.5])
regressions.append({'kind': 'three points', 'y': [1, 2, 3.5], 'slope': float(r.slope), 'intercept': float(r.intercept),
                    'r': float(r.rvalue), 'p': float(r.pvalue), 'stderr': float(r.stderr)})

out = {
    'scipy': scipy.__version__,
    't': [{'t': t, 'df': df, 'sf': float(stats.t.sf(t, df)), 'cdf': float(stats.t.cdf(t, df))} for t, df in t_cases],
    'betainc': [{'x': x_, 'a': a, 'b': b, 'value': float(special.betainc(a, b, x_))} for x_, a, b in beta_cases],
    'linregress': regressions,
}
with open(OUT, 'w') as f:
    json.dump(out, f, indent=1)
    f.write('\n')
print('wrote', OUT)
