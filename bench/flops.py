"""This machine's bounds, measured where a benchmark runs, on the threads it uses: the matmul rate (FLOP bound) and the
memory read bandwidth, and the roofline time of a rollout built from them."""
import time

import torch


def timed(f):
    "Seconds one call of `f` takes."
    t = time.perf_counter(); f(); return time.perf_counter() - t


def matmul_gflops(n=2048, reps=3, dtype=torch.float32, device="cpu"):
    "Best-of-`reps` GFLOP/s of an n³ matmul in `dtype` on the current threads (or on `device`, synchronised, after three warm-ups)."
    a, b = torch.randn(n, n, dtype=dtype, device=device), torch.randn(n, n, dtype=dtype, device=device)
    cuda = str(device).startswith("cuda")
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    for _ in range(3 if cuda else 1): a @ b
    sync()
    best = min(timed(lambda: (a @ b, sync())) for _ in range(reps))
    return 2 * n**3 / best / 1e9


def read_gibps(gib=1.0, reps=5):
    "Best-of-`reps` read bandwidth in GiB/s: a sum over `gib` GiB of float32 (streams every byte once, arithmetic is negligible)."
    a = torch.ones(int(gib * 2**30) // 4)
    a.sum()
    return gib / min(timed(lambda: a.sum()) for _ in range(reps))


def peaks() -> dict:
    "The most this machine showed: matmul GFLOP/s (fp32, bf16) over three sizes, read GiB/s over two sizes (the best of each: the bound)."
    return dict(fp32=max(matmul_gflops(n) for n in (1024, 2048, 3072)),
                bf16=max(matmul_gflops(n, dtype=torch.bfloat16) for n in (1024, 2048, 3072)),
                read_gibps=max(read_gibps(g) for g in (0.25, 1.0)))


def rollout_roofline(prompt_lens, completion_lens, group: int, n_linear: int, weight_bytes: int, kv_bytes_per_token: int,
                     gflops: float, gibps: float) -> float:
    """Seconds a rollout needs at least: prefill FLOPs (each prompt once per group of `group` rows, 2 × `n_linear` per
    token) at `gflops`, plus, for every decode step, the larger of its reads (the weights once, the KV cache of each row
    still generating) at `gibps` and its FLOPs (2 × `n_linear` per row still generating) at `gflops`."""
    prefill = 2 * n_linear * sum(prompt_lens[::group]) / (gflops * 1e9)
    decode = 0.0
    for j in range(1, max(completion_lens) + 1):
        active = [p for p, c in zip(prompt_lens, completion_lens) if c >= j]
        reads = weight_bytes + kv_bytes_per_token * sum(p + j for p in active)
        decode += max(reads / (gibps * 2**30), 2 * n_linear * len(active) / (gflops * 1e9))
    return prefill + decode
