"""Independent reference values for @conceptlab/interpret-dims tests (numpy 2.4 / scipy 1.17).
Run: python3 references.py [DATA_DIR]. Prints values that the tests paste as constants."""
import sys, json
import numpy as np
from scipy.stats import hypergeom, false_discovery_control
from scipy.optimize import linear_sum_assignment

np.set_printoptions(precision=17)

def X_small(n=20, D=4):
    i = np.arange(n)[:, None]; d = np.arange(D)[None, :]
    return np.maximum(0, np.sin(1.3 * i + 2.1 * d))

out = {}
X = X_small()
# summary: column 1
c = X[:, 1]
out['summary_col1'] = dict(mean=c.mean(), sd=c.std(), q25=np.quantile(c, .25), median=np.median(c), q75=np.quantile(c, .75), q95=np.quantile(c, .95), zero=(c == 0).mean(), used=(c > 0.1).mean(), top=list(map(int, np.argsort(-c, kind='stable')[:5])))

# hypergeometric sf: P(X >= k) = sf(k-1, N, K, n)
cases = [(3, 50, 10, 6), (6, 1854, 155, 6), (1, 1854, 4, 20), (10, 1854, 256, 20), (0, 10, 3, 4), (20, 1854, 34, 20)]
out['hyper'] = [[k, N, K, n, float(hypergeom.sf(k - 1, N, K, n))] for k, N, K, n in cases]

p = [0.01, 0.04, 0.03, 0.5, 0.2, 0.001, 0.04]
out['bh'] = list(false_discovery_control(p, method='bh'))

# LSA
rng = np.random.default_rng(7)
A = np.round(rng.normal(size=(6, 6)), 3)
B = np.round(rng.normal(size=(4, 7)), 3)
Cm = np.round(rng.normal(size=(7, 4)), 3)
for name, M in [('lsa6', A), ('lsa47', B), ('lsa74', Cm)]:
    r, cc = linear_sum_assignment(M)
    r2, c2 = linear_sum_assignment(M, maximize=True)
    out[name] = dict(M=M.tolist(), minTotal=float(M[r, cc].sum()), minCols=cc.tolist(), maxTotal=float(M[r2, c2].sum()))

# classical MDS of Euclidean distances of X_small (4-D) in 2-D
Dm = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(-1))
n = len(Dm); J = np.eye(n) - 1 / n
Bm = -0.5 * J @ (Dm ** 2) @ J
w, V = np.linalg.eigh(Bm)
o = np.argsort(w)[::-1][:2]
Y = V[:, o] * np.sqrt(w[o])
for k in range(2):
    if Y[np.argmax(np.abs(Y[:, k])), k] < 0: Y[:, k] *= -1
out['cmds_first3'] = Y[:3].tolist(); out['cmds_eig'] = w[o].tolist()

# t-SNE conditional affinities (bisection on beta, natural-log entropy) for perplexity 5 on Dm, row 0 and 7
def cond_p(D, perp):
    n = len(D); P = np.zeros((n, n)); target = np.log(perp)
    for i in range(n):
        d2 = np.delete(D[i] ** 2, i); d2 = d2 - d2.min()
        lo, hi = 0.0, np.inf; beta = 1.0
        for _ in range(200):
            e = np.exp(-beta * d2); z = e.sum(); H = np.log(z) + beta * (e * d2).sum() / z
            if abs(H - target) < 1e-10: break
            if H > target: lo = beta; beta = beta * 2 if hi == np.inf else (beta + hi) / 2
            else: hi = beta; beta = (beta + lo) / 2
        P[i, np.arange(n) != i] = e / z
    return P
P5 = cond_p(Dm, 5); P30 = cond_p(Dm, 15)
out['condP5_row0'] = P5[0].tolist()
Pj = ((P5 + P30) / 2); Pj = (Pj + Pj.T) / (2 * n)
# gradient at a fixed Y
Yg = np.stack([np.cos(np.arange(n) * 0.9), np.sin(np.arange(n) * 0.4)], 1)
diff = Yg[:, None, :] - Yg[None, :, :]
Wm = 1 / (1 + (diff ** 2).sum(-1)); np.fill_diagonal(Wm, 0); Q = Wm / Wm.sum()
G = 4 * (((Pj - Q) * Wm)[:, :, None] * diff).sum(1)
KL = (Pj[Pj > 0] * np.log(Pj[Pj > 0] / Q[Pj > 0])).sum()
out['grad_first3'] = G[:3].tolist(); out['kl'] = float(KL)

# classification on the real data
if len(sys.argv) > 1:
    d = sys.argv[1]
    E = np.load(f'{d}/things/human_embedding_vice42.npy').astype(np.float64)
    names = open(f'{d}/things/category27.tsv').readline().rstrip('\n').split('\t')
    Cat = np.loadtxt(f'{d}/things/category27.tsv', skiprows=1, delimiter='\t').astype(int)
    drop = ['bird', 'clothing accessory', 'dessert', 'drink', 'fruit', 'insect', 'vegetable']
    keep = [j for j, nm in enumerate(names) if nm not in drop]
    R = Cat[:, keep]
    single = R.sum(1) == 1
    lab = np.where(single, R.argmax(1), -1)
    sizes = np.array([(lab == j).sum() for j in range(len(keep))])
    kept = [j for j in range(len(keep)) if sizes[j] >= 10]
    objs = np.array([i for i in range(len(E)) if lab[i] in kept])
    y = np.array([kept.index(lab[i]) for i in objs])
    Xc = E[objs]
    def loo_acc(Xc, y):
        K = y.max() + 1
        S = np.stack([Xc[y == c].sum(0) for c in range(K)]); N = np.bincount(y, minlength=K)
        Cn = S / N[:, None]
        Dist = ((Xc[:, None, :] - Cn[None, :, :]) ** 2).sum(-1)
        own = (S[y] - Xc) / (N[y] - 1)[:, None]
        Dist[np.arange(len(y)), y] = ((Xc - own) ** 2).sum(-1)
        return (Dist.argmin(1) == y).mean()
    acc = loo_acc(Xc, y)
    prng = np.random.default_rng(0)
    perm = [loo_acc(Xc, prng.permutation(y)) for _ in range(1000)]
    out['things'] = dict(categories=[names[keep[j]] for j in kept], nObjects=int(len(objs)), accuracy=float(acc), chanceMean=float(np.mean(perm)), chanceSd=float(np.std(perm)))
    # top 6 of dim 0 and usage of dim 0
    out['things_dim0_top6'] = list(map(int, np.argsort(-E[:, 0], kind='stable')[:6]))
    out['things_dim0_used'] = float((E[:, 0] > 0.1).mean())

print(json.dumps(out, indent=1, default=float))
