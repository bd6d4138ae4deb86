"""Reference values for @conceptlab/native-blas's tests, computed with numpy (independent of any CBLAS call we make).

Run from packages/native-blas:
    python3 reference/gram_reference.py > reference/gram_reference.json
(committed output: numpy 2.4.6, Python 3.11).

- patterns: 16 conditions x 256 channels, fMRI-like (a shared channel profile + condition-specific noise), seed 7,
  rounded to 4 decimals so the JSON holds them exactly as numpy used them;
- gram: np.dot(X, X.T), the Gram matrix, row-major, both triangles;
- rdm: rsatoolbox's calc_rdm_euclidean on them: (sum(X**2, axis=1) + its transpose - 2 * np.dot(X, X.T)), upper
  triangle row by row (np.triu mask, k=1), divided by the number of channels.
"""
import json
import sys

import numpy as np

rng = np.random.default_rng(7)
n, p = 16, 256
profile = rng.uniform(-1, 1, p)
x = np.round(profile + rng.uniform(-0.5, 0.5, (n, p)), 4)
gram = np.dot(x, x.T)
sq = np.sum(x ** 2, axis=1, keepdims=True)
square = sq + sq.T - 2 * np.dot(x, x.T)
rdm = square[np.triu(np.ones_like(square, dtype=bool), k=1)] / p
json.dump({
    'numpy': np.__version__,
    'patterns': x.tolist(),
    'gram': gram.ravel().tolist(),
    'rdm': rdm.tolist(),
}, sys.stdout)
sys.stdout.write('\n')
