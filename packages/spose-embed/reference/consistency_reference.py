"""Independent reference for humanConsistency (numpy).

A port of the authors' draw_figure5a_human_behavioral_consistency_barplot.m (ChangdeDu/LLMs_core_dimensions,
analysis_and_figure_drawing/), written from shared/docs/authors-procedures.md item 9, on measured RDM48s made as
their measured-similarity script and draw_figure2a_step1 (RDM48 = 1 - S(idx48, idx48), split halves = first
len//2 answers vs the rest):
  r_mh = corr(lowertri(RDM_model), lowertri(RDM_human)); r_mm, r_hh = corr of each one's split halves
  rho = r_mh / sqrt(r_mm * r_hh)  (no Spearman-Brown)
  CI(r) = tanh(atanh(r) +- 1.96 std(atanh(r_b))) with the same 1,000 pair resamples for r_mh and r_hh
  CI(rho) = CI(r_mh) + (rho - r_mh)   (shifted, not rescaled)
The resample indices come from r48_rng.py (the TypeScript generator) instead of MATLAB's rng(2)/randi.

Run (from the repository root):
  python3 packages/spose-embed/reference/consistency_reference.py > packages/spose-embed/reference/consistency_reference.json
"""
import json
import numpy as np
from r48_rng import bootstrap_indices

n, D, B, SEED = 90, 5, 1000, 2
gen = np.random.default_rng(5)
human_emb = gen.gamma(0.7, 1.0, size=(n, D)) * (gen.random((n, D)) < 0.6)
model_emb = np.abs(human_emb + gen.normal(0, 0.5, size=(n, D)))
idx48 = [int(v) for v in gen.choice(n, size=48, replace=False)]
rest = [o for o in range(n) if o not in set(idx48)]


def answers(E, count, T):
    out = []
    for _ in range(count):
        a, b = gen.choice(idx48, size=2, replace=False)
        c = rest[gen.integers(len(rest))]
        s = np.array([E[a] @ E[b], E[a] @ E[c], E[b] @ E[c]]) / T
        p = np.exp(s - s.max()); p /= p.sum()
        out.append([int(v) for v in ((a, b, c), (a, c, b), (b, c, a))[gen.choice(3, p=p)]])
    return out


def rdm48(lines):
    chosen = np.zeros((n, n)); together = np.zeros((n, n))
    for a, b, c in lines:
        chosen[a, b] += 1; chosen[b, a] += 1
        for x, y in ((a, b), (a, c), (b, c)):
            together[x, y] += 1; together[y, x] += 1
    s = np.zeros((n, n)); m = together > 0
    s[m] = chosen[m] / together[m]
    np.fill_diagonal(s, 1)
    return 1 - s[np.ix_(idx48, idx48)]


def lowertri(M):
    return np.array([M[i, j] for j in range(48) for i in range(j + 1, 48)])


def halves(lines):
    mid = len(lines) // 2
    return [lowertri(rdm48(x)) for x in (lines, lines[:mid], lines[mid:])]


model_ans, human_ans = answers(model_emb, 9000, 0.5), answers(human_emb, 7001, 1.0)
m_full, m1, m2 = halves(model_ans)
h_full, h1, h2 = halves(human_ans)
corr = lambda a, b: float(np.corrcoef(a, b)[0, 1])
r_mh, r_mm, r_hh = corr(m_full, h_full), corr(m1, m2), corr(h1, h2)
rho = r_mh / np.sqrt(r_mm * r_hh)
draws = [np.array(ix) for ix in bootstrap_indices(1128, B, SEED)]


def ci(r, a, b):
    z = np.arctanh(np.array([np.corrcoef(a[ix], b[ix])[0, 1] for ix in draws]))
    sd = z[np.isfinite(z)].std(ddof=1)
    return [float(np.tanh(np.arctanh(r) - 1.96 * sd)), float(np.tanh(np.arctanh(r) + 1.96 * sd))]


ci_mh, ci_hh = ci(r_mh, m_full, h_full), ci(r_hh, h1, h2)
print(json.dumps({
    'nObjects': n, 'objects48': idx48, 'modelAnswers': model_ans, 'humanAnswers': human_ans, 'bootstrap': B, 'seed': SEED,
    'rModelHuman': r_mh, 'rModelModel': r_mm, 'rHumanHuman': r_hh, 'rho': float(rho),
    'rModelHumanCi': ci_mh, 'rHumanHumanCi': ci_hh, 'rhoCi': [c + float(rho - r_mh) for c in ci_mh],
}))
