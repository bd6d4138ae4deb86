"""A numpy port of the authors' merge (step 1 pruning, step 2 reproducibility and selection) and of their
dimension-rank test, written from shared/docs/authors-procedures.md items 5 and 8 (ChangdeDu/LLMs_core_dimensions,
analysis_and_figure_drawing/get_final_66dim_embedding_step1_pruning_redundant_dims_chatgpt.py,
get_final_66dim_embedding_step2_selecting_top_dims_{chatgpt,gemini}.m, draw_figure2e_dim_reproducibility_chatgpt.m),
independently of the TypeScript code (no shared helpers). It is the reference of src/merge.test.ts and
src/reproducibility-stats.test.ts.

Produced with (numpy 2.4), from packages/spose-embed:
    python3 reference/merge_step2_port.py > reference/merge_step2_port.json

MATLAB semantics kept: corr is Pearson with |r| clamped to 1; max skips NaN; sort is stable in both directions;
std divides by n - 1; atanh(1) = +inf, mean(+inf, ...) = +inf, tanh(+inf) = 1, std(+inf, ...) = NaN (we write
null for a NaN CI). The own run's column is the same data as the merged column: we set that r to exactly 1
(MATLAB's two-argument corr may return 1 or 1 - ulp; the TypeScript code documents the same choice).

Step 1 is the authors' pandas loop (remove_highly_correlated_features) with pandas' corrwith replaced by a
Pearson r per column; the column-sum sort is stable here (their numpy argsort is not; no ties occur in these
data). The inputs (synthetic exported runs: non-negative, 8 decimals, dims with max > 0.1) are written into the
JSON so the tests read the same numbers. The rank test's permutations and bootstraps use numpy's generator, so
only r_rank and ind are deterministic; p and the CI are Monte-Carlo values (sdZSpread: the SD of the
bootstrap SD(atanh r_b) over 200 repeats, for the tests' tolerance).
"""
import json

import numpy as np


def pearson(x, y):
    xc = x - x.mean()
    yc = y - y.mean()
    d = np.sqrt((xc * xc).sum() * (yc * yc).sum())
    if d == 0:
        return float('nan')
    return float(np.clip((xc * yc).sum() / d, -1.0, 1.0))


def prune(data, threshold):
    """The authors' remove_highly_correlated_features, literally (selected list order, first kept)."""
    n_features = data.shape[1]
    selected = list(range(n_features))
    while True:
        redundant = False
        for i in range(n_features):
            if i in selected:
                r = [pearson(data[:, f], data[:, i]) for f in selected]
                correlated = [f for f, v in zip(selected, r) if v > threshold]
                if len(correlated) > 0:
                    for f in correlated[1:]:
                        selected.remove(f)
                        redundant = True
        if not redundant:
            break
    return selected


def step2(X, ids, runs, refs, exclude_own, min_weight=0.1):
    """reproducibility(d, m) = max over reference run m's qualifying columns of corr(X_d, R_m); Fisher z stats."""
    k = X.shape[1]
    rep = np.full((k, len(refs)), np.nan)
    for mi, m in enumerate(refs):
        R = runs[m][:, (runs[m] > min_weight).any(axis=0)]
        for d in range(k):
            rs = []
            for c in range(R.shape[1]):
                if np.array_equal(X[:, d], R[:, c]) and ids[d] == (m, int(np.flatnonzero((runs[m] > min_weight).any(axis=0))[c])):
                    rs.append(1.0)  # the dim's own column: exactly 1 (see the header)
                else:
                    rs.append(pearson(X[:, d], R[:, c]))
            rs = np.array(rs)
            rep[d, mi] = np.nanmax(rs)
    out = []
    for d in range(k):
        runR = [None if (exclude_own and refs[mi] == ids[d][0]) else float(rep[d, mi]) for mi in range(len(refs))]
        z = np.array([np.arctanh(v) if v < 1 else np.inf for v in runR if v is not None])
        with np.errstate(invalid='ignore'):
            mz = z.mean()
            sd = z.std(ddof=1) if len(z) > 1 else np.nan
            ci = 1.96 * sd / np.sqrt(len(z))
            lo, hi = np.tanh(mz - ci), np.tanh(mz + ci)
        out.append({
            'run': ids[d][0], 'column': ids[d][1], 'sum': float(X[:, d].sum()), 'runR': runR,
            'reproducibility': float(np.tanh(mz)),
            'ciLow': None if np.isnan(lo) else float(lo), 'ciHigh': None if np.isnan(hi) else float(hi),
        })
    return out


def select(cands, top, include=(), include_from_top=None):
    """Top `top` by stable descending sort of reproducibility, re-sorted by column sum; then include positions."""
    rep = np.array([c['reproducibility'] for c in cands])
    sums = np.array([c['sum'] for c in cands])
    order = np.argsort(-rep, kind='stable')

    def by_sum(idx):
        idx = np.array(idx)
        return [int(i) for i in idx[np.argsort(-sums[idx], kind='stable')]]
    A = by_sum(order[:top])
    lst = by_sum(order[:include_from_top]) if include_from_top else list(range(len(cands)))
    B = [lst[p - 1] for p in include]
    return A + B


def rank_test(reproducibility, n_perm, n_boot, seed):
    rep = np.asarray(reproducibility, dtype=float)
    k = len(rep)
    ind = np.argsort(-rep, kind='stable') + 1.0
    nums = np.arange(1, k + 1, dtype=float)
    r_rank = pearson(nums, ind)
    g = np.random.default_rng(seed)
    at_least = 0
    for _ in range(n_perm):
        if pearson(g.permutation(k) + 1.0, ind) >= r_rank:
            at_least += 1
    rb = []
    for _ in range(n_boot):
        s = g.integers(0, k, size=k)
        rb.append(pearson(s + 1.0, ind[s]))
    with np.errstate(divide='ignore', invalid='ignore'):
        z = np.arctanh(np.array(rb))
    z = z[np.isfinite(z)]
    sdz = float(z.std(ddof=1))
    # The Monte-Carlo spread of sdZ itself (atanh r_b is heavy-tailed for small k): SD over 200 repeats.
    reps = []
    for _ in range(200):
        rb2 = []
        for _ in range(n_boot):
            s = g.integers(0, k, size=k)
            rb2.append(pearson(s + 1.0, ind[s]))
        with np.errstate(divide='ignore', invalid='ignore'):
            z2 = np.arctanh(np.array(rb2))
        reps.append(z2[np.isfinite(z2)].std(ddof=1))
    return {
        'sdZSpread': float(np.std(reps, ddof=1)),
        'ind': [int(v) for v in ind], 'rRank': r_rank, 'p': (1 + at_least) / (1 + n_perm),
        'sdZ': sdz, 'used': int(len(z)),
        'low': float(np.tanh(np.arctanh(r_rank) - 1.96 * sdz)), 'high': float(np.tanh(np.arctanh(r_rank) + 1.96 * sdz)),
    }


def make_runs():
    """Five exported runs over 40 objects: 9 shared concepts seen by random subsets of runs, plus noise dims."""
    g = np.random.default_rng(20240707)
    n, n_concepts = 40, 9
    concepts = np.where(g.random((n, n_concepts)) < 0.3, g.gamma(2.0, 0.4, (n, n_concepts)), 0.0)
    runs = []
    for r in range(5):
        cols = []
        for c in range(n_concepts):
            if g.random() < 0.6 + 0.04 * c:
                cols.append(np.abs(concepts[:, c] + g.normal(0, 0.12 + 0.02 * c, n)))
        for _ in range(2):  # run-specific dims
            cols.append(np.where(g.random(n) < 0.2, g.gamma(2.0, 0.3, n), 0.0))
        W = np.round(np.stack(cols, axis=1), 8)
        W = W[:, W.max(axis=0) > 0.1]
        W = W[:, np.argsort(-np.abs(W).sum(axis=0), kind='stable')]
        runs.append(W)
    return runs


def main():
    runs = make_runs()
    pooled = np.hstack(runs)
    ids = [(r, c) for r, W in enumerate(runs) for c in range(W.shape[1])]
    kept = prune(pooled, 0.4)
    sums = pooled[:, kept].sum(axis=0)
    kept = [kept[i] for i in np.argsort(-sums, kind='stable')]
    X = pooled[:, kept]
    kid = [ids[i] for i in kept]
    cases = []
    for name, refs, excl, top, inc, inc_top in [
        ('paper, all runs references', [0, 1, 2, 3, 4], False, 5, [], None),
        ('paper, references runs 0-2 (the authors\' s01-s20 pattern)', [0, 1, 2], False, 5, [6, 8], 9),
        ('own run excluded, all runs references', [0, 1, 2, 3, 4], True, 5, [9, 4], 10),
        ('own run excluded, include positions in the candidates list', [0, 1, 2, 3, 4], True, 4, [12], None),
    ]:
        cands = step2(X, kid, runs, refs, excl)
        sel = select(cands, top, inc, inc_top)
        cases.append({'name': name, 'references': refs, 'excludeOwnRun': excl, 'top': top, 'include': inc,
                      'includeFromTop': inc_top, 'candidates': cands, 'selected': sel})
    excl_case = cases[2]
    final_rep = [excl_case['candidates'][i]['reproducibility'] for i in excl_case['selected']]
    g = np.random.default_rng(5)
    k = 30
    synthetic = list(np.round(np.linspace(0.9, 0.5, k) + g.normal(0, 0.45, k), 3))
    synthetic[7] = synthetic[3]  # a tie: stable order keeps dim 4 before dim 8
    out = {
        'runs': [W.tolist() for W in runs],
        'threshold': 0.4,
        'pooled': int(pooled.shape[1]),
        'afterPruning': len(kept),
        'candidateIds': [list(t) for t in kid],
        'cases': cases,
        'rankTests': [
            {'name': 'final dims of the own-run-excluded case', 'reproducibility': final_rep,
             **rank_test(final_rep, 100000, 1000, 1)},
            {'name': 'synthetic k = 30 with a tie', 'reproducibility': [float(v) for v in synthetic],
             **rank_test(synthetic, 100000, 1000, 2)},
        ],
    }
    print(json.dumps(out, indent=1))


if __name__ == '__main__':
    main()
