"""Independent reference for neuro-rsa's evaluateModels without bootstrap: rsatoolbox's `eval_fixed`, written
here in numpy/scipy (rsatoolbox is not installable in this workplace). For each model and each data RDM, the
comparator's value (rsatoolbox `compare`: 'cosine' = a·b/(‖a‖‖b‖); 'corr' = Pearson r; 'spearman' = Pearson r
of the average ranks); then per model the mean over data RDMs and the standard error std(ddof=1)/sqrt(n).

Command (from packages/neuro-rsa):  python3 reference/evaluate_models_reference.py > reference/evaluate_models_reference.json
"""
import json
import numpy as np
from scipy.stats import rankdata

rng = np.random.default_rng(7)
n = 6
m = n * (n - 1) // 2
truth = rng.uniform(size=m)
# Ties on purpose (rounded to 1 decimal) so 'spearman' exercises average ranks.
models = [truth, np.round(truth + rng.normal(0, 0.4, m), 1), rng.uniform(size=m)]
subjects = [truth + rng.normal(0, 0.3, m) for _ in range(4)]

def compare(a, b, method):
    if method == 'cosine':
        return float(a @ b / np.sqrt((a @ a) * (b @ b)))
    if method == 'corr':
        return float(np.corrcoef(a, b)[0, 1])
    if method == 'spearman':
        return float(np.corrcoef(rankdata(a), rankdata(b))[0, 1])
    raise ValueError(method)

out = {"models": [x.tolist() for x in models], "subjects": [x.tolist() for x in subjects], "methods": {}}
for method in ['cosine', 'corr', 'spearman']:
    values = np.array([[compare(mdl, s, method) for s in subjects] for mdl in models])
    out["methods"][method] = {
        "values": values.tolist(),
        "mean": values.mean(axis=1).tolist(),
        "standardError": (values.std(axis=1, ddof=1) / np.sqrt(values.shape[1])).tolist(),
    }
print(json.dumps(out, indent=1))
