"The matmul rate of this machine, measured where a benchmark runs: its FLOP bound."
import time

import torch


def timed(f):
    "Seconds one call of `f` takes."
    t = time.perf_counter(); f(); return time.perf_counter() - t


def matmul_gflops(n=2048, reps=3, dtype=torch.float32):
    "Best-of-`reps` GFLOP/s of an n³ matmul in `dtype` on the current threads."
    a, b = torch.randn(n, n, dtype=dtype), torch.randn(n, n, dtype=dtype)
    a @ b
    best = min(timed(lambda: a @ b) for _ in range(reps))
    return 2 * n**3 / best / 1e9
