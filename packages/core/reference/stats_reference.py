"""Independent reference values for @conceptlab/core stats tests (numpy 2.4).
Run: python3 packages/core/reference/stats_reference.py  (prints JSON; the tests paste the values).
MATLAB's prctile is numpy's method='hazen' (position n*p/100 + 0.5, clamped)."""
import json
import numpy as np

x = np.sin(1.7 * np.arange(1000))          # the same vector the test builds
ps = [0, 0.01, 2.5, 25, 37.3, 50, 97.5, 99.99, 100]
out = {'prctile_sin1000': {str(p): float(np.percentile(x, p, method='hazen')) for p in ps}}
y = np.sin(1.7 * np.arange(7))
out['prctile_sin7'] = {str(p): float(np.percentile(y, p, method='hazen')) for p in ps}
out['sd_sin1000'] = float(x.std(ddof=1))
rb = 0.5 + 0.1 * np.sin(np.arange(200))      # bootstrap correlations
z = np.arctanh(rb); sd = z.std(ddof=1)
out['fisher'] = dict(low=float(np.tanh(np.arctanh(0.51) - 1.96 * sd)), high=float(np.tanh(np.arctanh(0.51) + 1.96 * sd)), sdZ=float(sd))
print(json.dumps(out, indent=1))
