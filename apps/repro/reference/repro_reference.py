"""Independent reference values for the reproduction (apps/repro), computed with numpy from the data files
and the definitions in shared/docs/authors-procedures.md — never with conceptlab's code.
Run from the repository root:
    python3 apps/repro/reference/repro_reference.py ../shared/data > apps/repro/reference/repro_reference.json
(numpy 2.4). The repro reads the JSON and checks its own numbers against it."""
import json, sys
import numpy as np

data = sys.argv[1] if len(sys.argv) > 1 else '../shared/data'
E = np.load(f'{data}/things/human_embedding_vice42.npy').astype(np.float64)   # 1854 x 42
n = E.shape[0]
out = {'data': 'things/human_embedding_vice42.npy, things/human_noise_ceiling_triplets.tsv, things/category27.tsv'}

# --- held-out accuracy of the generating embedding on the real noise-ceiling triplets (authors' item 4) ---
nc = np.loadtxt(f'{data}/things/human_noise_ceiling_triplets.tsv', dtype=np.int64)
obj = nc[:, :3] - 1
odd = obj[np.arange(len(obj)), nc[:, 3] - 1]
pair = np.array([[o for o in row if o != od][:2] for row, od in zip(obj.tolist(), odd.tolist())])
# row as (a, b, odd) with a, b in presentation order
a, b, c = pair[:, 0], pair[:, 1], odd
S = E @ E.T
s = np.stack([S[a, b], S[a, c], S[b, c]], 1)
top = s.max(1)
ties = (s == top[:, None]).sum(1)
assert (ties == 1).all(), 'a tie would need the seeded tie-break'
correct = (s.argmax(1) == 0).astype(float)
srt = np.sort(s, 1)
out['nc_accuracy'] = dict(percent=100 * correct.mean(), correct=int(correct.sum()), count=len(correct),
                          min_margin=float((srt[:, 2] - srt[:, 1]).min()))
# per-object accuracy over the triplets holding the object (any position); CI = 1.96 SD / sqrt(#objects seen)
acc_o = []
for o in range(n):
    m = (a == o) | (b == o) | (c == o)
    if m.any(): acc_o.append(100 * correct[m].mean())
acc_o = np.array(acc_o)
out['nc_accuracy']['objects_seen'] = len(acc_o)
out['nc_accuracy']['paper_ci95_seen_objects'] = float(1.96 * acc_o.std(ddof=1) / np.sqrt(len(acc_o)))

# --- predicted similarity of the generating embedding (context: all 1,854 objects), on a subset of objects ---
subset = np.arange(0, n, 19)              # 98 objects: 0, 19, 38, ...
eS = np.exp(S - S.max())                  # common factor cancels in the ratio
vals = []
for jj in range(1, len(subset)):
    for ii in range(jj):
        i, j = subset[ii], subset[jj]
        k = np.ones(n, bool); k[[i, j]] = False
        p = eS[i, j] / (eS[i, j] + eS[i, k] + eS[j, k])
        vals.append(p.mean())
out['similarity_subset'] = dict(step=19, objects=len(subset), order='for j in 1..m-1, for i < j: S[subset[i], subset[j]]', values=vals)

# --- the authors' 18-category classification (item 3) and its chance level ---
cat = np.loadtxt(f'{data}/things/category27.tsv', skiprows=1, dtype=np.int64)
names = open(f'{data}/things/category27.tsv').readline().rstrip('\n').split('\t')
keep = [c for c in range(27) if c + 1 not in (2, 5, 7, 8, 11, 14, 25)]
M = cat[:, keep].copy(); nm = [names[c] for c in keep]
M[M.sum(1) > 1] = 0
cols = [c for c in range(20) if c + 1 not in (9, 10)]
M = M[:, cols]; nm = [nm[c] for c in cols]
lab = np.full(n, -1)
has = M.sum(1) == 1
lab[has] = M[has].argmax(1)
objs = np.where(lab >= 0)[0]; y = lab[objs]; X = E[objs]
pred = np.empty(len(objs), int)
for t in range(len(objs)):
    others = np.ones(len(objs), bool); others[t] = False
    cent = np.stack([X[others & (y == c)].mean(0) for c in range(18)])
    d = np.sqrt(((cent - X[t]) ** 2).sum(1))
    pred[t] = np.argmax(1 - d)
acc = 100 * (pred == y).mean()
rng = np.random.default_rng(12345)
perm = np.array([100 * (rng.permutation(y) == pred).mean() for _ in range(1000)])
# exact expectation of the shuffle null: sum_c n_c * m_c / N^2 (n_c true, m_c predicted counts)
nc_ = np.bincount(y, minlength=18); mc_ = np.bincount(pred, minlength=18)
out['categories'] = dict(names=nm, objects=len(objs), accuracy_percent=acc,
                         chance_exact_percent=float(100 * (nc_ * mc_).sum() / len(objs) ** 2),
                         chance_numpy_shuffles=dict(mean=perm.mean(), sd=perm.std(ddof=1),
                             prctile2_5=float(np.percentile(perm, 2.5, method='hazen')), prctile97_5=float(np.percentile(perm, 97.5, method='hazen'))))
print(json.dumps(out, indent=1, default=float))
