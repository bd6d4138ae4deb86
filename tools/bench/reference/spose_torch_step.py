#!/usr/bin/env python3
"""The SPoSE reference's training step (ViCCo-Group/SPoSE, train.py's inner loop), timed: the in-run anchor
for our engines' triplets per second. It performs the reference's computation with the same torch calls:

  * batches one-hot encoded on the CPU from an n x n identity (utils.load_batches / encode_as_onehot), then
    `batch.to(device)`;
  * the model is nn.Linear(n, D, bias=False), weights N(0.1, 0.01) (models/model.py);
  * logits reshaped to (B, 3, D) and unbound; cross-entropy of softmax over the three dot products
    (utils.trinomial_loss, with its exp / sum / log as written);
  * loss = c_entropy + 0.01 * sum(relu(-W)) + (lambda / n) * l1 (models/model.l1_regularization: a 0-dim
    tensor plus torch.norm(W, 1));
  * optim.zero_grad(); loss.backward(); Adam(lr).step();
  * per step, as train.py does: loss.item(), complexity_loss.item() and utils.choice_accuracy (softmax moved
    to the CPU as numpy). Each of these waits for the device, as in the reference.

    python3 spose_torch_step.py --device cuda --batches 100,1000,10000 --seconds 3

prints one JSON object: torch's version, the device's name, and per batch size the steps timed, seconds and
triplets per second (after --warmup steps). Needs torch (and numpy); nothing else of the reference.
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    ap.add_argument('--objects', type=int, default=1854)
    ap.add_argument('--dims', type=int, default=100)
    ap.add_argument('--batches', default='100,1000')
    ap.add_argument('--seconds', type=float, default=3.0)
    ap.add_argument('--warmup', type=int, default=20)
    ap.add_argument('--lr', type=float, default=0.001)
    ap.add_argument('--lmbda', type=float, default=0.008)
    ap.add_argument('--threads', type=int, default=0, help='torch.set_num_threads (0: torch default)')
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    device = torch.device(a.device)
    n, D = a.objects, a.dims
    torch.manual_seed(1)
    rng = np.random.default_rng(1)
    I = torch.eye(n)
    fc = nn.Linear(n, D, bias=False)
    fc.weight.data.normal_(0.1, 0.01)
    fc.to(device)
    optim = torch.optim.Adam(fc.parameters(), lr=a.lr)
    temperature = torch.tensor(1.0).to(device)

    def step(triplets):
        optim.zero_grad()
        batch = I[triplets.flatten(), :].to(device)
        logits = fc(batch)
        anchor, positive, negative = torch.unbind(torch.reshape(logits, (-1, 3, D)), dim=1)
        sims = (torch.sum(anchor * positive, dim=1), torch.sum(anchor * negative, dim=1), torch.sum(positive * negative, dim=1))
        softmax = torch.exp(sims[0] / temperature) / torch.sum(torch.stack([torch.exp(s / temperature) for s in sims]), dim=0)
        c_entropy = torch.mean(-torch.log(softmax))
        l1_reg = torch.tensor(0., requires_grad=True) + torch.norm(fc.weight, 1)
        l1_pen = l1_reg.to(device)
        W = fc.weight
        pos_pen = torch.sum(F.relu(-W))
        complexity_loss = (a.lmbda / n) * l1_pen
        loss = c_entropy + 0.01 * pos_pen + complexity_loss
        loss.backward()
        optim.step()
        total = loss.item()
        complexity_loss.item()
        probas = F.softmax(torch.stack(sims, dim=-1), dim=1).detach().cpu().numpy()
        choices = np.where(probas.mean(axis=1) == probas.max(axis=1), -1, np.argmax(probas, axis=1))
        np.where(choices == 0, 1, 0).mean()
        return total

    def triplets_of(B, count):
        out = []
        for _ in range(count):
            t = rng.integers(0, n, size=(2 * B + 10, 3))
            t = t[(t[:, 0] != t[:, 1]) & (t[:, 0] != t[:, 2]) & (t[:, 1] != t[:, 2])][:B]
            out.append(torch.from_numpy(t.astype(np.int64)))
        return out

    results = []
    for B in [int(x) for x in a.batches.split(',')]:
        pool = triplets_of(B, 16)
        for s in range(a.warmup):
            step(pool[s % len(pool)])
        if device.type == 'cuda':
            torch.cuda.synchronize()
        steps = 0
        t0 = time.perf_counter()
        last = 0.0
        while steps < 5 or time.perf_counter() - t0 < a.seconds:
            last = step(pool[steps % len(pool)])
            steps += 1
        if device.type == 'cuda':
            torch.cuda.synchronize()
        sec = time.perf_counter() - t0
        results.append({'batch': B, 'steps': steps, 'seconds': round(sec, 3), 'msPerStep': round(1000 * sec / steps, 3), 'tripletsPerSecond': round(steps * B / sec), 'lastLoss': round(last, 5)})
    name = torch.cuda.get_device_name(device) if device.type == 'cuda' else 'cpu'
    print(json.dumps({'torch': torch.__version__, 'device': a.device, 'deviceName': name, 'threads': torch.get_num_threads(), 'objects': n, 'dims': D, 'results': results}))


if __name__ == '__main__':
    main()
