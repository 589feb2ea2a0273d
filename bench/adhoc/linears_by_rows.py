"Ad hoc (session 17): see bench/adhoc/README.md."
import time, torch
from saerl.model import ModelConfig, load_policy
model, tok = load_policy(ModelConfig(name="smollm2"))
m = model.eval().to(torch.bfloat16)
lins = [mod for n, mod in m.named_modules() if isinstance(mod, torch.nn.Linear) and "lm_head" not in n]
def t(f, n=5):
    f(); best = 1e9
    for _ in range(n):
        s = time.perf_counter(); f(); best = min(best, time.perf_counter() - s)
    return best
with torch.no_grad():
    for M in (8, 16, 32, 64, 128, 256):
        xs = {l.in_features: torch.randn(M, l.in_features, dtype=torch.bfloat16) for l in lins}
        a = t(lambda: [torch.nn.functional.linear(xs[l.in_features], l.weight) for l in lins])
        packed = [torch.ops.mkldnn._reorder_linear_weight(l.weight, M) for l in lins]
        b = t(lambda: [torch.ops.mkldnn._linear_pointwise(xs[l.in_features], p, None, "none", [], "") for l, p in zip(lins, packed)])
        packed32 = [torch.ops.mkldnn._reorder_linear_weight(l.weight, 32) for l in lins]
        c = t(lambda: [torch.ops.mkldnn._linear_pointwise(xs[l.in_features], p, None, "none", [], "") for l, p in zip(lins, packed32)])
        print(f"M={M:4}: F.linear {a*1000:6.1f} ms ({a*1000/M:.2f}/row)  packed(M) {b*1000:6.1f} ms  packed(32) {c*1000:6.1f} ms")
    s = t(lambda: [torch.ops.mkldnn._reorder_linear_weight(l.weight, 32) for l in lins]); print(f"repack all: {s*1000:.1f} ms")
    h, x = m.lm_head.weight, torch.randn(32, 576, dtype=torch.bfloat16)
    ph = torch.ops.mkldnn._reorder_linear_weight(h, 32)
    a, b = t(lambda: torch.nn.functional.linear(x, h)), t(lambda: torch.ops.mkldnn._linear_pointwise(x, ph, None, "none", [], ""))
    same = torch.equal(torch.nn.functional.linear(x, h), torch.ops.mkldnn._linear_pointwise(x, ph, None, "none", [], ""))
    print(f"lm_head 32 rows: F.linear {a*1000:.2f} ms, packed {b*1000:.2f} ms, identical outputs: {same}")
