"""Independent numpy reference for triplet-sampler's acquisitionScores (adaptive/acquisition.ts).

For each candidate set {a, b, c} and each ensemble member W_e (objects x dims), the SPoSE choice distribution is
softmax([a.b, a.c, b.c] / T); uncertainty = H(mean_e p_e) and information-gain (BALD) = H(mean_e p_e) - mean_e H(p_e),
natural logs. Written from the definitions with scipy.special.softmax / scipy.stats.entropy, not from the TypeScript.

Command that produced acquisition_reference.json (from this folder):
    python3 acquisition_reference.py > acquisition_reference.json
"""
import json

import numpy as np
from scipy.special import softmax
from scipy.stats import entropy

rng = np.random.default_rng(15)
n_objects = 12
# Three members with different numbers of dims (each a fit of its own), sparse and non-negative like SPoSE.
members = []
for dims in (4, 6, 3):
    w = rng.gamma(0.6, 0.8, size=(n_objects, dims))
    w[rng.random(w.shape) < 0.4] = 0.0
    members.append(w)
candidates = np.array([rng.choice(n_objects, size=3, replace=False) for _ in range(40)])
candidates[0] = [3, 3 + 1, 3 + 2]


def choice(w, t, temperature):
    a, b, c = w[t[0]], w[t[1]], w[t[2]]
    return softmax(np.array([a @ b, a @ c, b @ c]) / temperature)


out = {"nObjects": n_objects, "members": [m.tolist() for m in members], "candidates": candidates.tolist(), "cases": []}
for temperature in (1.0, 0.5):
    for k in (1, 2, 3):
        ens = members[:k]
        p = np.array([[choice(w, t, temperature) for t in candidates] for w in ens])  # (k, m, 3)
        mean = p.mean(axis=0)
        h_mean = entropy(mean, axis=1)
        mean_h = entropy(p, axis=2).mean(axis=0)
        out["cases"].append({
            "temperature": temperature,
            "members": k,
            "uncertainty": h_mean.tolist(),
            "informationGain": (h_mean - mean_h).tolist(),
        })
print(json.dumps(out))
