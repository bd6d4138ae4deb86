"""A Python (numpy) port of the authors' MATLAB analyses, items 1, 2, 3 and 10 of
../../../../shared/docs/authors-procedures.md (ChangdeDu/LLMs_core_dimensions, analysis_and_figure_drawing/:
draw_figure5d_correlation_matrix_human_llm.m, draw_figure5e_shared_vs_unique_dims.m,
helper_functions/predict_category.m, helper_functions/compute_chance_level.m,
helper_functions/external/tSNE_matlab/d2p.m and tsne_p.m), written from that
specification with MATLAB semantics kept: 1-based indices, stable sorts, `max` returning the first index,
`corr` clamped to [-1, 1] with an exact-1 diagonal for one argument, `prctile` at position n*p/100 + 0.5.

It is written independently of the TypeScript code (no shared helpers) and is the reference the jest tests
compare with (reference/authors_port.json).

Produced with (numpy 2.4, scipy not needed), from packages/interpret-dims:
    python3 reference/authors_port.py ../../../shared/data > reference/authors_port.json
Without a data directory the THINGS cases are left out.

Every index in the output is MATLAB's (1-based); the tests subtract 1.
"""
import json
import sys

import numpy as np


# ---------------------------------------------------------------- MATLAB primitives

def corr(X, Y=None):
    """MATLAB corr (Pearson over rows), |r| clamped to 1; with one argument the diagonal is exactly 1."""
    one = Y is None
    if one:
        Y = X
    Xc = X - X.mean(0)
    Yc = Y - Y.mean(0)
    num = Xc.T @ Yc
    den = np.sqrt((Xc ** 2).sum(0))[:, None] * np.sqrt((Yc ** 2).sum(0))[None, :]
    R = np.clip(num / den, -1.0, 1.0)
    if one:
        np.fill_diagonal(R, 1.0)
    return R


def matlab_max_index(v):
    """[~, i] = max(v): the first index (1-based) of the largest value, NaN skipped."""
    best, bi = -np.inf, 0
    for t, x in enumerate(v):
        if not np.isnan(x) and (bi == 0 or x > best):
            best, bi = x, t + 1
    return bi if bi > 0 else 1  # all NaN: MATLAB gives NaN at index 1


def stable_sort_ascending_index(v):
    """[~, si] = sort(v): a stable ascending argsort, 1-based."""
    return [t + 1 for t in sorted(range(len(v)), key=lambda t: v[t])]  # Python's sort is stable


def stable_sort_descending_index(v):
    """[~, si] = sort(v, 'descend'): stable (ties keep their order), 1-based."""
    return [t + 1 for t in sorted(range(len(v)), key=lambda t: -v[t])]


def prctile(x, p):
    """MATLAB prctile: position n*p/100 + 0.5 (1-based) in the sorted values, linear interpolation, clamped."""
    s = sorted(x)
    n = len(s)
    pos = n * p / 100.0 + 0.5
    if pos <= 1:
        return s[0]
    if pos >= n:
        return s[-1]
    lo = int(np.floor(pos))
    f = pos - lo
    return s[lo - 1] + f * (s[lo] - s[lo - 1])


# ---------------------------------------------------------------- item 1: correspondence

SENTINEL = float('inf')  # the scripts' "100" for 66 dims: any value that sorts after every reference dim


def reorder(c):
    """Steps 2-4: ii(j) = first argmax over rows of column j; later duplicates -> sentinel; si = stable argsort."""
    dB = c.shape[1]
    ii = [float(matlab_max_index(c[:, j])) for j in range(dB)]
    for i in range(1, dB):  # MATLAB i = 2..dB
        if any(ii[t] == ii[i] for t in range(i)):
            ii[i] = SENTINEL
    si = stable_sort_ascending_index(ii)
    return ii, si


def adapted(A, B):
    """Step 5 (no threshold): Cadapt = C(:, si) - (corr(A) - I), by position.
    Unequal dims: only the first k = min(dA, dB) reordered positions are kept (the scripts need dA = dB)."""
    c = corr(A, B)
    ii, si = reorder(c)
    dA = A.shape[1]
    k = min(dA, B.shape[1])
    base = corr(A) - np.eye(dA)
    cs = c[:, [s - 1 for s in si]]
    cad = cs[:, :k] - base[:, :k]
    return c, ii, si, cad


def threshold_top2(cad, thr=0.4):
    """Steps 6-7: entries < thr set to 0; per row, stable descending sort, everything after position 2 zeroed."""
    out = cad.copy()
    out[out < thr] = 0.0
    for r in range(out.shape[0]):
        idx = stable_sort_descending_index(list(out[r, :]))
        for t in idx[2:]:
            out[r, t - 1] = 0.0
    return out


def correspondence_case(A, B):
    c, ii, si, cad = adapted(A, B)
    final = threshold_top2(cad)
    rows, cols = np.nonzero(final.T)  # MATLAB find is column-major; ind2sub then sortrows([1 2])
    pairs = sorted((int(cc) + 1, int(rr) + 1) for rr, cc in zip(rows, cols))
    k = final.shape[1]
    return dict(
        corr=c.tolist(),
        ii=[None if v == SENTINEL else int(v) for v in ii],
        si=si,
        adaptedRaw=cad.tolist(),
        adapted=final.tolist(),
        matches=[dict(a=a, position=p, b=si[p - 1], value=float(final[a - 1, p - 1])) for a, p in pairs],
        diagSortedDescending=sorted([float(final[t, t]) for t in range(min(final.shape[0], k))], reverse=True),
    )


# ---------------------------------------------------------------- item 2: shared vs unique

def first_free(row, dims, thr):
    """for j = dims: if row(j) >= thr ... break. Positions beyond the matrix (unequal dims) are skipped."""
    for j in dims:
        if j <= len(row) and row[j - 1] >= thr:
            return j
    return None


def shared_two_way(A, B, thr=0.2):
    _, _, _, AB = adapted(A, B)
    dA, dB = A.shape[1], B.shape[1]
    RA = np.zeros((dA, 2), bool); RA[:, 0] = True
    RB = np.zeros((dB, 2), bool); RB[:, 1] = True
    dimsB = list(range(1, dB + 1))
    pairs = []
    for i in range(1, dA + 1):
        j = first_free(AB[i - 1, :], list(dimsB), thr)
        if j is not None:
            RA[i - 1, 1] = True
            RB[j - 1, 1] = False
            dimsB.remove(j)
            pairs.append(dict(a=i, position=j, value=float(AB[i - 1, j - 1])))
    R = np.vstack([RA, RB])
    R = R[R.any(1)]
    counts = {p: int(sum(1 for row in R if ''.join('1' if v else '0' for v in row) == p)) for p in ['11', '10', '01']}
    return dict(pairs=pairs, remainingB=dimsB, counts=counts)


def shared_three_way(A, B, C, thr=0.2):
    _, _, _, AB = adapted(A, B)
    _, _, _, AC = adapted(A, C)
    _, _, _, BC = adapted(B, C)
    dA, dB, dC = A.shape[1], B.shape[1], C.shape[1]
    RA = np.zeros((dA, 3), bool); RA[:, 0] = True
    RB = np.zeros((dB, 3), bool); RB[:, 1] = True
    RC = np.zeros((dC, 3), bool); RC[:, 2] = True
    dimsB = list(range(1, dB + 1))
    dimsC = list(range(1, dC + 1))
    ab, ac, bc = [], [], []
    for i in range(1, dA + 1):
        j = first_free(AB[i - 1, :], list(dimsB), thr)
        if j is not None:
            RA[i - 1, 1] = True; RB[j - 1, 1] = False; dimsB.remove(j)
            ab.append(dict(a=i, position=j, value=float(AB[i - 1, j - 1])))
        j = first_free(AC[i - 1, :], list(dimsC), thr)
        if j is not None:
            RA[i - 1, 2] = True; RC[j - 1, 2] = False; dimsC.remove(j)
            ac.append(dict(a=i, position=j, value=float(AC[i - 1, j - 1])))
    for i in list(dimsB):  # the for range is evaluated once
        j = first_free(BC[i - 1, :], list(dimsC), thr)
        if j is not None:
            RB[i - 1, 2] = True; RC[j - 1, 2] = False; dimsC.remove(j)
            bc.append(dict(b=i, position=j, value=float(BC[i - 1, j - 1])))
    R = np.vstack([RA, RB, RC])
    R = R[R.any(1)]
    pats = ['111', '110', '101', '011', '100', '010', '001']
    keys = [''.join('1' if v else '0' for v in row) for row in R]
    return dict(ab=ab, ac=ac, bc=bc, remainingB=dimsB, remainingC=dimsC, rows=len(keys), counts={p: keys.count(p) for p in pats})


# ---------------------------------------------------------------- item 3: categories and chance

def category_set(names, catmat):
    """predict_category.m: delete columns 2 5 7 8 11 14 25; blank multi-category objects; delete columns 9 10; drop empty."""
    rm = [2, 5, 7, 8, 11, 14, 25]
    keep = [t for t in range(1, 28) if t not in rm]
    cats = [names[t - 1] for t in keep]
    M = catmat[:, [t - 1 for t in keep]].copy()
    M[M.sum(1) > 1, :] = 0
    small = [(cats[8], int(M[:, 8].sum())), (cats[9], int(M[:, 9].sum()))]
    cats = [c for t, c in enumerate(cats) if t not in (8, 9)]
    M = np.delete(M, [8, 9], axis=1)
    objs = np.nonzero(M.any(1))[0]  # 0-based rows of the embedding
    labels = (M[objs] * np.arange(1, len(cats) + 1)).sum(1)  # 1-based
    return cats, small, objs, labels


def predict_loo(X, labels, K):
    """Leave-one-out: centroids = nanmean of the other objects per category; pred = argmax(1 - euclid)."""
    n = len(labels)
    pred = np.zeros(n, int)
    for i in range(n):
        train = np.ones(n, bool); train[i] = False
        cents = np.stack([X[train & (labels == c)].mean(0) for c in range(1, K + 1)])
        d = np.sqrt(((cents - X[i]) ** 2).sum(1))
        pred[i] = matlab_max_index(1 - d)
    return pred


def chance(pred, labels, rng, permutations=1000):
    """compute_chance_level.m: predictions fixed, true labels shuffled (randperm) and scored 100*mean(==)."""
    acc = np.array([100.0 * np.mean(labels[rng.permutation(len(labels))] == pred) for _ in range(permutations)])
    return acc


# ---------------------------------------------------------------- item 10: t-SNE (d2p.m, tsne_p.m)

def d2p(D, u, tol=1e-5):
    """d2p.m: rows of D used as squared distances; beta from 1, double/halve then bisect, at most 50 tries."""
    n = D.shape[0]
    P = np.zeros((n, n))
    logU = np.log(u)

    def hbeta(d, beta):
        p = np.exp(-d * beta)
        sumP = p.sum() + 1e-10
        H = np.log(sumP) + beta * (d * p).sum() / sumP
        return H, p / sumP

    for i in range(n):
        d = np.delete(D[i], i)
        beta, bmin, bmax = 1.0, -np.inf, np.inf
        H, p = hbeta(d, beta)
        diff = H - logU
        tries = 0
        while abs(diff) > tol and tries < 50:
            if diff > 0:
                bmin = beta
                beta = beta * 2 if np.isinf(bmax) else (beta + bmax) / 2
            else:
                bmax = beta
                beta = beta / 2 if np.isinf(bmin) else (beta + bmin) / 2
            H, p = hbeta(d, beta)
            diff = H - logU
            tries += 1
        P[i, np.arange(n) != i] = p
    return P


def tsne_p(P, Y, iterations):
    """tsne_p.m with an initial solution (no exaggeration): lr 500, momentum 0.5 -> 0.8 at 250, gains, recentring."""
    n = P.shape[0]
    P = P.copy()
    np.fill_diagonal(P, 0)
    P = 0.5 * (P + P.T)
    P = np.maximum(P / P.sum(), np.finfo(float).tiny)
    Y = Y.copy()
    incs = np.zeros_like(Y)
    gains = np.ones_like(Y)
    momentum = 0.5
    for it in range(1, iterations + 1):
        sq = (Y ** 2).sum(1)
        num = 1 / (1 + sq[:, None] + sq[None, :] - 2 * Y @ Y.T)
        np.fill_diagonal(num, 0)
        Q = np.maximum(num / num.sum(), np.finfo(float).tiny)
        L = (P - Q) * num
        grads = 4 * (np.diag(L.sum(0)) - L) @ Y
        gains = (gains + 0.2) * (np.sign(grads) != np.sign(incs)) + (gains * 0.8) * (np.sign(grads) == np.sign(incs))
        gains[gains < 0.01] = 0.01
        incs = momentum * incs - 500 * (gains * grads)
        Y = Y + incs
        Y = Y - Y.mean(0)
        if it == 250:
            momentum = 0.8
    return Y


def main():
    out = {}
    g = np.random.default_rng(20250607)

    def sparse(n, d):
        return np.round(np.where(g.random((n, d)) < 0.4, g.random((n, d)) * 2, 0.0), 3)

    def noisy(cols, n):
        return np.round(np.maximum(0, cols + g.normal(0, 0.15, (n, cols.shape[1]))), 3)

    n = 60
    cases = {}
    # duplicated best matches (model 1 and 2 both follow reference 2) and an unmatched reference dim (3)
    A = sparse(n, 5)
    B = noisy(np.stack([A[:, 1], A[:, 1] * 0.8 + 0.3 * A[:, 0], A[:, 0], A[:, 4], A[:, 3] + 0.5 * A[:, 0]], 1), n)
    cases['duplicates'] = (A, B)
    # more model dims than reference dims (positions beyond 5 dropped) and fewer
    A2 = sparse(n, 5)
    B2 = noisy(np.stack([A2[:, 3], A2[:, 0], A2[:, 0] + A2[:, 2], sparse(n, 1)[:, 0], A2[:, 4], A2[:, 1], A2[:, 3] * 0.5], 1), n)
    cases['moreModelDims'] = (A2, B2)
    A3 = sparse(n, 6)
    B3 = noisy(np.stack([A3[:, 5], A3[:, 2], A3[:, 2] + A3[:, 1], A3[:, 0]], 1), n)
    cases['moreReferenceDims'] = (A3, B3)
    out['correspondence'] = {
        name: dict(reference=a.tolist(), model=b.tolist(), paper=correspondence_case(a, b), shared=shared_two_way(a, b))
        for name, (a, b) in cases.items()
    }
    # three-way: human-like A, B shares some with A, C shares some with A and some only with B
    A = sparse(n, 6)
    extra = sparse(n, 3)
    B = noisy(np.stack([A[:, 0], A[:, 2], A[:, 1] + A[:, 2], extra[:, 0], A[:, 5], extra[:, 1], extra[:, 2]], 1), n)
    C = noisy(np.stack([A[:, 0], A[:, 3], extra[:, 0] + 0.2 * A[:, 4], extra[:, 2], A[:, 2], extra[:, 1], sparse(n, 1)[:, 0]], 1), n)
    out['threeWay'] = dict(A=A.tolist(), B=B.tolist(), C=C.tolist(), result=shared_three_way(A, B, C))
    Cu = C[:, :5]
    Bu = np.hstack([B, extra[:, :1]])
    out['threeWayUnequal'] = dict(A=A.tolist(), B=Bu.tolist(), C=Cu.tolist(), result=shared_three_way(A, Bu, Cu))

    # t-SNE: 40 points, Euclidean distances, normalised by the max, perplexities 5 and 30; 300 iterations
    X = np.round(g.random((40, 3)) + np.repeat(np.eye(4, 3) * 2, 10, axis=0), 3)
    Dm = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(-1))
    Dn = Dm / Dm.max()
    P5 = d2p(Dn, 5)
    P30 = d2p(Dn, 30)
    Y0 = np.round(g.normal(0, 0.1, (40, 2)), 4)
    out['tsne'] = dict(X=X.tolist(), Y0=Y0.tolist(), iterations=300, d2p5Row0=P5[0].tolist(), d2p30Row7=P30[7].tolist(),
                       Y1=tsne_p(0.5 * (P5 + P30), Y0, 1).tolist(), Y=tsne_p(0.5 * (P5 + P30), Y0, 300).tolist())

    if len(sys.argv) > 1:
        d = sys.argv[1]
        H = np.load(f'{d}/things/human_embedding_vice42.npy').astype(np.float64)
        # derived "model" embeddings built from the human dims with exact float64 arithmetic the test repeats:
        # model[:, j] = H[:, p[j]] + 0.5 * H[:, q[j]]
        pg = np.random.default_rng(7)
        p = pg.permutation(42)
        p[[5, 11, 17, 23]] = p[[4, 10, 16, 22]]  # duplicated best matches
        q = pg.integers(0, 42, 42)
        M1 = H[:, p] + 0.5 * H[:, q]
        p2 = pg.permutation(42)[:36]
        q2 = pg.integers(0, 42, 36)
        M2 = H[:, p2] + 0.5 * H[:, q2]
        things = dict(p=p.tolist(), q=q.tolist(), p2=p2.tolist(), q2=q2.tolist())
        things['M1'] = correspondence_case(H, M1)
        del things['M1']['corr'], things['M1']['adaptedRaw']
        things['M2'] = correspondence_case(H, M2)
        del things['M2']['corr'], things['M2']['adaptedRaw']
        things['sharedM1'] = shared_two_way(H, M1)
        things['threeWay'] = shared_three_way(H, M1, M2)
        out['thingsCorrespondence'] = things

        names = open(f'{d}/things/category27.tsv').readline().rstrip('\n').split('\t')
        catmat = np.loadtxt(f'{d}/things/category27.tsv', skiprows=1, delimiter='\t').astype(int)
        cats, small, objs, labels = category_set(names, catmat)
        pred = predict_loo(H[objs], labels, len(cats))
        accs = chance(pred, labels, np.random.default_rng(1))
        K = len(cats)
        expected = 100.0 * sum((labels == c).sum() * (pred == c).sum() for c in range(1, K + 1)) / len(labels) ** 2
        out['thingsCategories'] = dict(
            categories=cats,
            droppedSmall=[dict(name=nm, size=s) for nm, s in small],
            objects=(objs + 1).tolist(),
            labels=labels.tolist(),
            predicted=pred.tolist(),
            accuracy=100.0 * float(np.mean(pred == labels)),
            chanceMean=float(accs.mean()),
            chanceLower=float(prctile(accs, 2.5)),
            chanceUpper=float(prctile(accs, 97.5)),
            chanceSd=float(accs.std(ddof=1)),
            chanceExpected=float(expected),
            note='chance from numpy default_rng(1) permutations, not MATLAB randperm: compare within the spread',
        )
    print(json.dumps(out, indent=None, separators=(',', ':')))


if __name__ == '__main__':
    main()
