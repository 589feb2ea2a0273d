"Session 23's ad hoc scripts time small products with this: microseconds per call, after a warm-up."
import time


def us(f, reps: int = 300, warmup: int = 20) -> float:
    "Mean microseconds of `f()` over `reps` calls after `warmup` calls."
    for _ in range(warmup): f()
    t = time.perf_counter()
    for _ in range(reps): f()
    return (time.perf_counter() - t) / reps * 1e6
