#!/usr/bin/env python3
"""A float64 numpy re-implementation of one SPoSE training step (ViCCo-Group/SPoSE, train.py + utils.py),
with hand-derived gradients and torch.optim.Adam's update, used as the oracle for the CPU engine.

    python3 test/reference/spose_reference.py     (from packages/spose-embed)

writes test/fixtures/reference-trajectory.json: a small problem (12 objects, 5 dims, 40 triplets,
batch 8, 20 steps = 4 epochs of fresh permutations), the initial W (float32-representable, so the
float32 engine starts from exactly the same weights), and for each case the per-step loss parts and the
final W, m, v. It also checks its own gradients against central finite differences before writing.

How this matches the PyTorch reference (torch is not installed here, so by reading the code):

* Model. The reference's SPoSE is nn.Linear(n_items, embed_dim, bias=False) applied to one-hot rows, so
  the embedding of object o is column o of fc.weight (D × n). Here W is n × D (row o = object o): the
  same numbers transposed. `logits = model(batch)` for a batch of 3B one-hot rows (i, j, k per triplet),
  reshaped to (B, 3, D) and unbound into anchor (x_i), positive (x_j), negative (x_k).
* Cross-entropy. utils.trinomial_loss: sims = (x_i·x_j, x_i·x_k, x_j·x_k); softmax(sims)[0] =
  exp(s_ij/T) / Σ exp(s/T); loss = mean over the batch of −log of it. We compute the same value with a
  max-shifted log-sum-exp (mathematically identical; torch's version can overflow, ours cannot).
  'euclidean' replaces each dot product by −‖x_a − x_b‖² (an option of this package, not of train.py).
* Penalties. loss = c_entropy + 0.01·Σ relu(−W) + (λ/n_items)·‖W‖₁ (l1_regularization sums
  torch.norm(p, 1) over the parameters whose name contains 'weight', i.e. fc.weight: all weights).
  Autograd derivatives: relu'(x) = 1 for x > 0 else 0 (threshold_backward), so d/dw relu(−w) = −1 for
  w < 0 and 0 for w ≥ 0; d/dw |w| = sign(w) with sign(0) = 0 (norm's backward for p = 1 is
  grad · sgn(w)). Both are dense: every weight gets them every step.
* Cross-entropy gradient. With p = softmax(s/T) and L = mean_b(−log p_ij): ∂L/∂s = (p − e₁)/(T·B).
  Through the one-hot matmul, ∂L/∂W is the sum of the row gradients scattered to the rows i, j, k —
  what np.add.at does below (a row that occurs several times in a batch accumulates, as in torch).
* Adam. torch.optim.Adam(lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False), state step
  t starting at 1: m ← β1 m + (1 − β1) g (torch writes it as a lerp), v ← β2 v + (1 − β2) g²,
  bc1 = 1 − β1^t, bc2 = 1 − β2^t, denom = √v / √bc2 + ε, W ← W − (lr/bc1)·m/denom. Adam updates
  every weight every step because the penalty gradient is dense.
* Proximal variant (this package's option, not in train.py): the penalties leave the gradient, and after
  the Adam step W ← max(0, W − lr·λ/n); the reported positivity term is 0 and l1 is still (λ/n)·‖W‖₁.
* The loss of a step is evaluated at the weights before the update (as loss.item() in train.py).
* The reference trains in float32; this oracle is float64, so a float32 implementation should match it to
  ~1e−6 relative over a short trajectory.
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'fixtures', 'reference-trajectory.json')

N_OBJECTS, DIMS, N_TRIPLETS, BATCH, STEPS = 12, 5, 40, 8, 20


def similarities(W, t, kind):
    """(3, B) similarities s_ij, s_ik, s_jk of the triplets t (B × 3)."""
    xi, xj, xk = W[t[:, 0]], W[t[:, 1]], W[t[:, 2]]
    if kind == 'dot':
        return np.stack([(xi * xj).sum(1), (xi * xk).sum(1), (xj * xk).sum(1)])
    return -np.stack([((xi - xj) ** 2).sum(1), ((xi - xk) ** 2).sum(1), ((xj - xk) ** 2).sum(1)])


def cross_entropy(W, t, hp):
    z = similarities(W, t, hp['similarity']) / hp['temperature']
    mx = z.max(0)
    lse = mx + np.log(np.exp(z - mx).sum(0))
    return float(np.mean(lse - z[0]))


def cross_entropy_grad(W, t, hp):
    """Hand-derived ∂(mean CE)/∂W (dense n × D, rows scattered with np.add.at)."""
    T, B = hp['temperature'], len(t)
    z = similarities(W, t, hp['similarity']) / T
    mx = z.max(0)
    lse = mx + np.log(np.exp(z - mx).sum(0))
    p = np.exp(z - lse)
    gs = p.copy()
    gs[0] -= 1
    gs /= T * B
    a, b, c = gs[0][:, None], gs[1][:, None], gs[2][:, None]
    i, j, k = t[:, 0], t[:, 1], t[:, 2]
    xi, xj, xk = W[i], W[j], W[k]
    G = np.zeros_like(W)
    if hp['similarity'] == 'dot':
        # s_ij = x_i·x_j: ∂/∂x_i = x_j, ∂/∂x_j = x_i
        np.add.at(G, i, a * xj + b * xk)
        np.add.at(G, j, a * xi + c * xk)
        np.add.at(G, k, b * xi + c * xj)
    else:
        # s_ij = −‖x_i − x_j‖²: ∂/∂x_i = −2(x_i − x_j), ∂/∂x_j = 2(x_i − x_j)
        dij, dik, djk = xi - xj, xi - xk, xj - xk
        np.add.at(G, i, -2 * a * dij - 2 * b * dik)
        np.add.at(G, j, 2 * a * dij - 2 * c * djk)
        np.add.at(G, k, 2 * b * dik + 2 * c * djk)
    return G


def step(W, m, v, t_step, batch, hp):
    """One reference step; returns new (W, m, v) and the loss parts at the old W."""
    n = W.shape[0]
    l1w = hp['lambda'] / n
    soft = hp['positivity'] == 'soft'
    ce = cross_entropy(W, batch, hp)
    s = similarities(W, batch, hp['similarity'])
    correct = int(np.sum((s[0] > s[1]) & (s[0] > s[2])))
    positivity = hp['positivityWeight'] * float(np.sum(np.maximum(-W, 0))) if soft else 0.0
    l1 = l1w * float(np.sum(np.abs(W)))
    g = cross_entropy_grad(W, batch, hp)
    if soft:
        g = g + hp['positivityWeight'] * np.where(W < 0, -1.0, 0.0) + l1w * np.sign(W)
    b1, b2 = hp['beta1'], hp['beta2']
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    bc1, bc2 = 1 - b1 ** t_step, 1 - b2 ** t_step
    W = W - (hp['lr'] / bc1) * m / (np.sqrt(v) / np.sqrt(bc2) + hp['eps'])
    if not soft:
        W = np.maximum(0.0, W - hp['lr'] * l1w)
    loss = {'crossEntropy': ce, 'positivity': positivity, 'l1': l1, 'total': ce + positivity + l1, 'correct': correct}
    return W, m, v, loss


def check_gradients(W, triplets, hp, rng):
    """Central finite differences of the CE and of the penalties (at weights away from 0) vs the hand-derived gradient."""
    h = 1e-6
    G = cross_entropy_grad(W, triplets, hp)
    for _ in range(25):
        o, d = rng.integers(W.shape[0]), rng.integers(W.shape[1])
        Wp, Wm = W.copy(), W.copy()
        Wp[o, d] += h
        Wm[o, d] -= h
        fd = (cross_entropy(Wp, triplets, hp) - cross_entropy(Wm, triplets, hp)) / (2 * h)
        assert abs(fd - G[o, d]) <= 1e-7 * max(1.0, abs(fd)), (hp['similarity'], o, d, fd, G[o, d])
    l1w = hp['lambda'] / W.shape[0]
    pen = lambda X: hp['positivityWeight'] * np.sum(np.maximum(-X, 0)) + l1w * np.sum(np.abs(X))
    Gp = hp['positivityWeight'] * np.where(W < 0, -1.0, 0.0) + l1w * np.sign(W)
    for o in range(W.shape[0]):
        for d in range(W.shape[1]):
            if abs(W[o, d]) < 1e-3:
                continue
            Wp, Wm = W.copy(), W.copy()
            Wp[o, d] += h
            Wm[o, d] -= h
            fd = (pen(Wp) - pen(Wm)) / (2 * h)
            assert abs(fd - Gp[o, d]) < 1e-8, (o, d, fd, Gp[o, d])


def main():
    rng = np.random.default_rng(20250101)
    # Triplets: three distinct objects each; which is "odd" is arbitrary here (the oracle only needs data).
    triplets = np.array([rng.choice(N_OBJECTS, 3, replace=False) for _ in range(N_TRIPLETS)], dtype=np.int64)
    # Initial W with some negative weights so the positivity penalty is active; float32-representable.
    W0 = (0.05 + 0.08 * rng.standard_normal((N_OBJECTS, DIMS))).astype(np.float32).astype(np.float64)
    # Batches: each epoch a fresh permutation, 40 // 8 = 5 full batches (the last partial batch would be dropped).
    batches = []
    while len(batches) < STEPS:
        perm = rng.permutation(N_TRIPLETS)
        for b in range(N_TRIPLETS // BATCH):
            batches.append(perm[b * BATCH:(b + 1) * BATCH])
    batches = batches[:STEPS]

    base = {'lr': 0.01, 'beta1': 0.9, 'beta2': 0.999, 'eps': 1e-8, 'positivityWeight': 0.01, 'lambda': 0.05}
    cases = [
        ('dot, soft', {**base, 'similarity': 'dot', 'positivity': 'soft', 'temperature': 1.0}),
        ('euclidean, soft', {**base, 'similarity': 'euclidean', 'positivity': 'soft', 'temperature': 1.0}),
        ('dot, proximal, T = 0.5', {**base, 'similarity': 'dot', 'positivity': 'proximal', 'temperature': 0.5}),
        ('euclidean, proximal, T = 2', {**base, 'similarity': 'euclidean', 'positivity': 'proximal', 'temperature': 2.0}),
    ]
    out_cases = []
    for name, hp in cases:
        check_gradients(W0 + 0.3, triplets, hp, rng)
        check_gradients(W0, triplets, hp, rng)
        W, m, v = W0.copy(), np.zeros_like(W0), np.zeros_like(W0)
        steps = []
        for t, idx in enumerate(batches, start=1):
            W, m, v, loss = step(W, m, v, t, triplets[idx], hp)
            steps.append(loss)
        out_cases.append({
            'name': name,
            'hyper': {'nObjects': N_OBJECTS, 'dims': DIMS, **hp},
            'steps': steps,
            'finalWeights': W.ravel().tolist(),
            'finalM': m.ravel().tolist(),
            'finalV': v.ravel().tolist(),
        })
    fixture = {
        'generator': 'test/reference/spose_reference.py (numpy %s, float64)' % np.__version__,
        'nObjects': N_OBJECTS,
        'dims': DIMS,
        'batchSize': BATCH,
        'triplets': triplets.tolist(),
        'batches': [b.tolist() for b in batches],
        'initialWeights': W0.ravel().tolist(),
        'cases': out_cases,
    }
    with open(OUT, 'w') as f:
        json.dump(fixture, f)
        f.write('\n')
    print('wrote', OUT)


if __name__ == '__main__':
    main()
