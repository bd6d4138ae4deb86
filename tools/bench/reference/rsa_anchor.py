#!/usr/bin/env python3
"""The in-run anchor of the RSA benchmarks: rsatoolbox's computation, step by step, with the numpy/scipy
calls rsatoolbox makes (rsatoolbox itself is not needed), timed on the bench's own inputs.

    python3 rsa_anchor.py TASK DIR REPEATS [WARMUP]

TASK is one of correlation-rdm, euclidean-rdm, tau-a, corr-cov, bootstrap-tau-a. The JavaScript bench writes
its inputs as .npy files into DIR (see each task below), runs this script, and compares the numbers. This
script prints ONE JSON object: the task, the seconds of every run (time.perf_counter), their median, the
result (scalars inline; WARMUP untimed runs first, default 0; an RDM vector is written to DIR/anchor.npy), and the numpy/scipy/BLAS in use.

Where each step comes from (rsatoolbox, github.com/rsagroup/rsatoolbox, read at f1f83ca):
- correlation-rdm (rdm/calc.py calc_rdm_correlation): centre each pattern on its mean, scale each row to unit
  norm with an einsum of squares, 1 - einsum('ik,jk') of the rows (numpy's own loops, not BLAS), then the
  upper triangle as RDMs() stores it (scipy squareform, checks off).
- euclidean-rdm (calc_rdm_euclidean): squared row norms + their transpose - 2 * np.dot(X, X.T) (one BLAS
  call), the upper triangle through a boolean triu mask, divided by the number of channels.
- tau-a (rdm/compare.py compare_kendall_tau_a → _tau_a): NaN columns dropped as _parse_input_rdms does,
  then two stable (mergesort) argsorts with dense ranks by cumsum, scipy's _kendall_dis for the discordant
  pairs, joint ties from the runs, x/y ties by bincount, (tot - xtie - ytie + ntie - 2 dis) / tot clamped.
- corr-cov (compare_correlation_cov_weighted → _cosine_cov_weighted → _cov_weighting, identity sigma_k):
  mean-centred vectors, -0.5 * [v, 0], sparse CSR row/column indicators (rsatoolbox switches to sparse at
  100 conditions), row means m = v @ sumI / n, grand mean, v - m @ sumI.T + mm, sqrt(2) on the
  off-diagonal part, then _cosine's einsums.
- bootstrap-tau-a (inference/evaluate.py eval_bootstrap_pattern's per-sample work without the noise
  ceiling, as the bench measures): the model means on the full data, then for each resample the sorted
  picked conditions, and for the data RDMs and every model RDM subsample_pattern (vectors to matrices by
  squareform, NaN diagonal, fancy indexing, back to vectors), compare tau-a (NaN pairs dropped) and the mean
  over data RDMs. The picks come from the bench (DIR/picks.npy), not np.random.randint, so both sides
  evaluate the same resamples and their numbers can be compared.

Inputs in DIR: patterns.npy (conditions × channels, float64) for the RDM tasks; a.npy and b.npy
(dissimilarity vectors) for tau-a and corr-cov; models.npy (models × pairs), data.npy (subjects × pairs)
and picks.npy (samples × conditions, int32) for bootstrap-tau-a.

Needs numpy and scipy (Debian: apt-get install python3-numpy python3-scipy). Threads are numpy's defaults
(OpenBLAS uses every core for np.dot).
"""
import json
import os
import statistics
import sys
import time

import numpy as np
import scipy
import scipy.sparse
from scipy.spatial.distance import squareform
from scipy.stats._stats import _kendall_dis


def blas_name():
    try:
        cfg = np.show_config(mode='dicts')
        blas = cfg['Build Dependencies']['blas']
        return f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # older numpy: no dict mode
        return None


# --- RDMs -----------------------------------------------------------------------------------------------

def correlation_rdm(x):
    centred = x - x.mean(axis=1, keepdims=True)
    centred /= np.sqrt(np.einsum('ij,ij->i', centred, centred))[:, None]
    square = 1 - np.einsum('ik,jk', centred, centred)
    return squareform(square, checks=False)


def euclidean_rdm(x):
    sq = np.sum(x ** 2, axis=1, keepdims=True)
    square = sq + sq.T - 2 * np.dot(x, x.T)
    upper = np.triu(np.ones_like(square, dtype=bool), k=1)
    return square[upper] / x.shape[1]


# --- comparators ----------------------------------------------------------------------------------------

def drop_nan_columns(v1, v2):
    """2-D stacks of vectors, without the positions where any vector is NaN (as _parse_input_rdms)."""
    keep = ~np.isnan(v1).any(axis=0)
    if not np.all(keep == ~np.isnan(v2).any(axis=0)):
        raise ValueError('different NaN positions')
    return v1[:, keep].reshape(v1.shape[0], -1), v2[:, keep].reshape(v2.shape[0], -1), keep


def stable_sort_rank(by_other, key):
    order = np.argsort(key, kind='mergesort')
    other = by_other[order]
    key = key[order]
    dense = np.r_[True, key[1:] != key[:-1]].cumsum(dtype=np.intp)
    return other, dense


def tied_pairs(dense_ranks):
    counts = np.bincount(dense_ranks).astype('int64', copy=False)
    counts = counts[counts > 1]
    return (counts * (counts - 1) // 2).sum()


def tau_a(x, y):
    size = x.size
    x, y = stable_sort_rank(x, y)
    y, x = stable_sort_rank(y, x)
    dis = _kendall_dis(x, y)
    runs = np.r_[True, (x[1:] != x[:-1]) | (y[1:] != y[:-1]), True]
    lengths = np.diff(np.nonzero(runs)[0]).astype('int64', copy=False)
    joint = (lengths * (lengths - 1) // 2).sum()
    total = (size * (size - 1)) // 2
    tau = (total - tied_pairs(x) - tied_pairs(y) + joint - 2 * dis) / total
    return min(1.0, max(-1.0, tau))


def compare_tau_a(v1, v2):
    v1, v2, _ = drop_nan_columns(v1, v2)
    out = np.empty((len(v1), len(v2)))
    for i, a in enumerate(v1):
        for j, b in enumerate(v2):
            out[i, j] = tau_a(a, b)
    return out


def conditions_of(pairs):
    n = int(np.ceil(np.sqrt(2 * pairs)))
    if n * (n - 1) // 2 != pairs:
        raise ValueError(f'{pairs} is not n(n-1)/2')
    return n


def sparse_indicators(n):
    off = n * (n - 1) // 2
    rows = np.arange(off + n, dtype=np.int64)
    upper_i, upper_j = np.triu_indices(n, k=1)
    diag = np.arange(n, dtype=np.int64)
    ones = np.ones(off + n, dtype=np.int8)
    shape = (off + n, n)
    row_ind = scipy.sparse.csr_matrix((ones, (rows, np.r_[upper_i, diag].astype(np.int64))), shape=shape)
    col_ind = scipy.sparse.csr_matrix((ones, (rows, np.r_[upper_j, diag].astype(np.int64))), shape=shape)
    return row_ind, col_ind


def whiten(vectors, keep):
    count, n_dist = vectors.shape
    n = conditions_of(keep.shape[0])
    w = -0.5 * np.c_[vectors, np.zeros((count, n))]
    row_ind, col_ind = sparse_indicators(n)
    both = row_ind + col_ind
    means = w @ both / n
    grand = np.sum(w * 2, axis=1, keepdims=True) / (n * n)
    w = w - means @ both.T + grand
    w[:, :n_dist] = w[:, :n_dist] * np.sqrt(2)
    return w


def cosines(v1, v2):
    n1 = np.sqrt(np.einsum('ij,ij->i', v1, v1))
    n2 = np.sqrt(np.einsum('ij,ij->i', v2, v2))
    out = np.einsum('ij,kj->ik', v1, v2)
    out /= n1.reshape((-1, 1))
    out /= n2.reshape((1, -1))
    return out


def compare_corr_cov(v1, v2):
    v1, v2, keep = drop_nan_columns(v1, v2)
    v1 = v1 - np.mean(v1, 1, keepdims=True)
    v2 = v2 - np.mean(v2, 1, keepdims=True)
    return cosines(whiten(v1, keep), whiten(v2, keep))


# --- bootstrap ------------------------------------------------------------------------------------------

def as_matrices(vectors):
    n = conditions_of(vectors.shape[1])
    out = np.ndarray((vectors.shape[0], n, n))
    for k in range(vectors.shape[0]):
        out[k] = squareform(vectors[k])
    return out


def subsample(vectors, picks):
    chosen = np.sort(picks)
    mats = as_matrices(vectors)
    for k in range(mats.shape[0]):
        np.fill_diagonal(mats[k], np.nan)
    mats = mats[:, chosen][:, :, chosen]
    out = np.ndarray((mats.shape[0], len(chosen) * (len(chosen) - 1) // 2))
    for k in range(mats.shape[0]):
        out[k] = squareform(mats[k], checks=False)
    return out


def bootstrap_tau_a(models, data, picks):
    means = np.array([np.mean(compare_tau_a(models[j:j + 1], data)) for j in range(len(models))])
    evaluations = np.empty((len(picks), len(models)))
    for i, p in enumerate(picks):
        sample = subsample(data, p)
        if len(np.unique(p)) >= 3:
            for j in range(len(models)):
                pred = subsample(models[j:j + 1], p)
                evaluations[i, j] = np.mean(compare_tau_a(pred, sample))
        else:
            evaluations[i, :] = np.nan
    return means, evaluations


# --- main -----------------------------------------------------------------------------------------------

def main():
    if len(sys.argv) not in (4, 5):
        sys.exit('usage: rsa_anchor.py correlation-rdm|euclidean-rdm|tau-a|corr-cov|bootstrap-tau-a DIR REPEATS [WARMUP]')
    task, folder, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
    warmup = int(sys.argv[4]) if len(sys.argv) == 5 else 0
    load = lambda name: np.load(os.path.join(folder, name))
    if task in ('correlation-rdm', 'euclidean-rdm'):
        x = load('patterns.npy')
        fn = correlation_rdm if task == 'correlation-rdm' else euclidean_rdm
        work = lambda: fn(x)
    elif task in ('tau-a', 'corr-cov'):
        a = load('a.npy').reshape(1, -1)
        b = load('b.npy').reshape(1, -1)
        fn = compare_tau_a if task == 'tau-a' else compare_corr_cov
        work = lambda: fn(a, b)
    elif task == 'bootstrap-tau-a':
        models, data, picks = load('models.npy'), load('data.npy'), load('picks.npy')
        work = lambda: bootstrap_tau_a(models, data, picks)
    else:
        sys.exit(f'unknown task {task}')
    for _ in range(warmup):
        work()
    runs = []
    result = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = work()
        runs.append(time.perf_counter() - t0)
    out = {
        'task': task,
        'seconds': statistics.median(runs),
        'runs': runs,
        'warmup': warmup,
        'python': sys.version.split()[0],
        'numpy': np.__version__,
        'scipy': scipy.__version__,
        'blas': blas_name(),
    }
    if task.endswith('-rdm'):
        np.save(os.path.join(folder, 'anchor.npy'), result)
        out['file'] = 'anchor.npy'
    elif task == 'bootstrap-tau-a':
        out['means'] = result[0].tolist()
        out['evaluations'] = [[None if np.isnan(v) else v for v in row] for row in result[1].T.tolist()]
    else:
        out['value'] = float(result[0, 0])
    print(json.dumps(out))


if __name__ == '__main__':
    main()
