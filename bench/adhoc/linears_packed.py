"Ad hoc (session 17): see bench/adhoc/README.md."
import time, torch
from saerl.model import ModelConfig, load_policy
model, tok = load_policy(ModelConfig(name="smollm2"))
m = model.eval().to(torch.bfloat16)
lins = [mod for n, mod in m.named_modules() if isinstance(mod, torch.nn.Linear) and "lm_head" not in n]
print(len(lins), "linears", sum(l.weight.numel() for l in lins) * 2 / 2**20, "MiB bf16")
xs = {l.in_features: torch.randn(32, l.in_features, dtype=torch.bfloat16) for l in lins}
def t(f, n=5):
    f(); best = 1e9
    for _ in range(n):
        s = time.perf_counter(); f(); best = min(best, time.perf_counter() - s)
    return best
with torch.no_grad():
    s = t(lambda: [torch.nn.functional.linear(xs[l.in_features], l.weight) for l in lins]); print("F.linear bf16 all layers:", f"{s*1000:.1f} ms")
    try:
        packed = [torch.ops.mkldnn._reorder_linear_weight(l.weight, 32) for l in lins]
        s = t(lambda: [torch.ops.mkldnn._linear_pointwise(xs[l.in_features], p, None, "none", [], "") for l, p in zip(lins, packed)])
        print("mkldnn packed bf16 all layers:", f"{s*1000:.1f} ms")
        y1 = torch.nn.functional.linear(xs[lins[0].in_features], lins[0].weight); y2 = torch.ops.mkldnn._linear_pointwise(xs[lins[0].in_features], packed[0], None, "none", [], "")
        print("max diff", (y1.float() - y2.float()).abs().max().item(), y1.abs().max().item())
    except Exception as e: print("packed failed:", repr(e)[:300])
    # fp32 for reference
    lf = [l.weight.float() for l in lins]; xf = {k: v.float() for k, v in xs.items()}
    s = t(lambda: [torch.nn.functional.linear(xf[w.shape[1]], w) for w in lf]); print("F.linear fp32 all layers:", f"{s*1000:.1f} ms")
    try:
        pf = [torch.ops.mkldnn._reorder_linear_weight(w, 32) for w in lf]
        s = t(lambda: [torch.ops.mkldnn._linear_pointwise(xf[w.shape[1]], p, None, "none", [], "") for w, p in zip(lf, pf)]); print("mkldnn packed fp32:", f"{s*1000:.1f} ms")
    except Exception as e: print("packed fp32 failed:", repr(e)[:300])
    h = m.lm_head.weight; x = torch.randn(32, 576, dtype=torch.bfloat16)
    s = t(lambda: torch.nn.functional.linear(x, h)); print("lm_head bf16:", f"{s*1000:.2f} ms")
    try:
        ph = torch.ops.mkldnn._reorder_linear_weight(h, 32)
        s = t(lambda: torch.ops.mkldnn._linear_pointwise(x, ph, None, "none", [], "")); print("lm_head packed bf16:", f"{s*1000:.2f} ms")
    except Exception as e: print("lm_head packed failed:", repr(e)[:200])
