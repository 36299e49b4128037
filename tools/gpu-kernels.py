#!/usr/bin/env python3
"""Diagnostic for the LightGCN plugin's kernels, in plain PyTorch on a GPU (run by tools/gpu-check.sh with PROFILE=1):
  python3 tools/gpu-kernels.py <gowalla dir>
Prints the GPU time of one product Â·x (x: [nodes, 64]) on the given LightGCN-format graph by embedding_bag with rows
cut into parts of at most max_bag entries (as plugins/LightGCN's EmbeddingBagKernel), by a sparse CSR tensor
(cuSPARSE, as CsrKernel) and by a coalesced COO tensor; the time of one training step built on embedding_bag, with a
profiler table; and the time of one Adam step on the embedding table (single-tensor, foreach, fused)."""
import sys, time
import numpy as np, torch
import torch.nn.functional as F
data = sys.argv[1]
dev = "cuda"
us, its = [], []
for line in open(f"{data}/train.txt"):
    p = line.split()
    if len(p) > 1:
        it = np.array(p[1:], dtype=np.int64); us.append(np.full(len(it), int(p[0]))); its.append(it)
eu, ei = np.concatenate(us), np.concatenate(its)
nU, nI = int(eu.max()) + 1, int(ei.max()) + 1; N = nU + nI
du = np.bincount(eu, minlength=nU).astype(np.float64); di = np.bincount(ei, minlength=nI).astype(np.float64)
rows = np.concatenate([eu, ei + nU]); cols = np.concatenate([ei + nU, eu])
w = 1.0 / np.sqrt(np.concatenate([du[eu] * di[ei], di[ei] * du[eu]]))
order = np.lexsort((cols, rows)); rows, cols, w = rows[order], cols[order], w[order].astype(np.float32)
offsets = np.zeros(N + 1, dtype=np.int64); np.cumsum(np.bincount(rows, minlength=N), out=offsets[1:])
print(f"torch {torch.__version__} {torch.cuda.get_device_name()} nodes {N} nnz {len(cols)} max degree {np.diff(offsets).max()}")
colsT, wT, offT = (torch.tensor(a, device=dev) for a in (cols, w, offsets))

def cut(maxbag):
    parts, rowparts = [], [0]
    for t in range(N):
        s, e = offsets[t], offsets[t + 1]
        parts.extend(range(s, e, maxbag)); rowparts.append(len(parts))
    parts.append(offsets[-1])
    return torch.tensor(parts, device=dev), torch.arange(len(parts) - 1, device=dev), torch.tensor(rowparts, device=dev)

def bag_fn(maxbag):
    if maxbag == 0:
        return lambda x: F.embedding_bag(colsT, x, offT, mode="sum", per_sample_weights=wT, include_last_offset=True)
    po, pi, rp = cut(maxbag)
    return lambda x: F.embedding_bag(pi, F.embedding_bag(colsT, x, po, mode="sum", per_sample_weights=wT, include_last_offset=True), rp, mode="sum", include_last_offset=True)

def timed(fn, reps=30):
    for _ in range(3): fn()
    torch.cuda.synchronize(); t = time.time()
    for _ in range(reps): fn()
    torch.cuda.synchronize(); return (time.time() - t) / reps * 1e3

x = torch.randn(N, 64, device=dev) * 0.1
ref = torch.sparse_csr_tensor(offT, colsT, wT, (N, N)) @ x
for mb in (0, 8, 16, 32, 64, 128):
    f = bag_fn(mb); err = (f(x) - ref).abs().max().item()
    print(f"A·x embedding_bag max_bag={mb:<4} {timed(lambda: f(x)):7.3f} ms  (max |diff| vs csr {err:.1e})")
csr = torch.sparse_csr_tensor(offT, colsT, wT, (N, N))
print(f"A·x sparse CSR mm (cuSPARSE)   {timed(lambda: csr @ x):7.3f} ms")
coo = csr.to_sparse_coo().coalesce()
print(f"A·x coalesced COO mm           {timed(lambda: torch.sparse.mm(coo, x)):7.3f} ms")

for mb in (0, 32):
    prod = bag_fn(mb)
    class P(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x): return prod(x)
        @staticmethod
        def backward(ctx, g): return prod(g)
    emb = torch.nn.Parameter(torch.randn(N, 64, device=dev) * 0.1)
    opt = torch.optim.Adam([emb], lr=1e-3, foreach=False)
    def step():
        bu = torch.randint(0, nU, (2048,), device=dev); bi = torch.randint(0, nI, (2048,), device=dev); bj = torch.randint(0, nI, (2048,), device=dev)
        xk, acc = emb, emb
        for _ in range(3): xk = P.apply(xk); acc = acc + xk
        fin = acc / 4
        nodes = torch.cat([bu, bi + nU, bj + nU]); pk = fin.index_select(0, nodes)
        u, i, j = pk[:2048], pk[2048:4096], pk[4096:]
        loss = F.softplus((u * j).sum(1) - (u * i).sum(1)).mean() + 1e-4 * emb.index_select(0, nodes).square().sum() * 0.5 / 2048
        opt.zero_grad(); loss.backward(); opt.step()
    ms = timed(step, 50); print(f"python replica step max_bag={mb}: {ms:.3f} ms/batch -> {ms * 396 / 1e3:.2f} s/epoch (396 batches)")
    if mb == 32:
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU, torch.profiler.ProfilerActivity.CUDA]) as prof:
            for _ in range(20): step()
            torch.cuda.synchronize()
        print(prof.key_averages().table(sort_by="cuda_time_total", row_limit=18, max_name_column_width=45))
for name, kw in (("single-tensor", dict(foreach=False)), ("foreach", dict(foreach=True)), ("fused", dict(fused=True))):
    emb = torch.nn.Parameter(torch.randn(N, 64, device=dev)); emb.grad = torch.randn_like(emb)
    opt = torch.optim.Adam([emb], lr=1e-3, **kw)
    print(f"Adam step {name:14} {timed(opt.step):.3f} ms")
