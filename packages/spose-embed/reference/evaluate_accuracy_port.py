"""A numpy port of the authors' odd-one-out accuracy, its CI and chance level (shared/docs/authors-procedures.md
item 4; ChangdeDu/LLMs_core_dimensions, analysis_and_figure_drawing/draw_figure2h_ooo_acc_llm_mllm_human.m),
written from that specification independently of the TypeScript code. Reference of src/accuracy-ci.test.ts.

Produced with (numpy 2.4), from packages/spose-embed:
    python3 reference/evaluate_accuracy_port.py > reference/evaluate_accuracy_port.json

The data (a 14-object, 3-dim embedding with 8-decimal weights; 80 random triplets over objects 0-11, so objects
12 and 13 are never seen) have no tied similarities, so accuracy and both CIs are deterministic. Where the authors'
per-object accuracy is NaN (unseen objects) their CI is NaN; this port, like our code, takes the SD over the objects
seen and divides by the square root of their number (the authors' formula with n = 1854 applies when every object
is seen). The chance level uses numpy's generator, so it is a Monte-Carlo value; MATLAB's prctile is written out
(position n*p/100 + 0.5, linear interpolation, clamped).
"""
import json

import numpy as np


def prctile(x, p):
    x = np.sort(np.asarray(x, dtype=float))
    n = len(x)
    pos = n * p / 100 + 0.5
    if pos <= 1:
        return float(x[0])
    if pos >= n:
        return float(x[-1])
    lo = int(np.floor(pos))
    f = pos - lo
    return float(x[lo - 1] + f * (x[lo] - x[lo - 1]))


def main():
    g = np.random.default_rng(424242)
    E = np.round(g.gamma(1.5, 0.5, (14, 3)), 8)
    T = np.array([g.choice(12, 3, replace=False) for _ in range(80)])
    S = E @ E.T
    sims = np.stack([S[T[:, 0], T[:, 1]], S[T[:, 0], T[:, 2]], S[T[:, 1], T[:, 2]]], axis=1)
    assert all(len(set(row)) == 3 for row in sims.tolist()), 'no ties in these data'
    pred = sims.argmax(axis=1)  # 0-based: 0 = (a, b) is the pair
    correct = (pred == 0).astype(float)
    acc = correct.mean()
    per_obj = np.full(14, np.nan)
    for o in range(14):
        has = (T == o).any(axis=1)
        if has.any():
            per_obj[o] = correct[has].mean()
    seen = per_obj[~np.isnan(per_obj)]
    half = 1.96 * seen.std(ddof=1) / np.sqrt(len(seen))
    binom = 1.96 * np.sqrt(acc * (1 - acc) / len(T))
    chance = np.array([(g.integers(0, 3, len(T)) == pred).mean() for _ in range(1000)])
    print(json.dumps({
        'embedding': E.tolist(), 'triplets': T.tolist(), 'predicted': pred.tolist(),
        'accuracy': acc, 'perObject': [None if np.isnan(v) else float(v) for v in per_obj],
        'objectsSeen': int(len(seen)), 'perObjectSd': float(seen.std(ddof=1)), 'paperHalfWidth': float(half),
        'binomialHalfWidth': float(binom),
        'chance': {'mean': float(chance.mean()), 'low': prctile(chance, 2.5), 'high': prctile(chance, 97.5)},
    }, indent=1))


if __name__ == '__main__':
    main()
