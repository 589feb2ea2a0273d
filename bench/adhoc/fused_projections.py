"""Session 23: q/k/v and gate/up as separate oneDNN-prepacked products vs one fused product, and the LM head packed in
fp32 vs bf16, at 32 and 64 rows (microseconds). `python bench/adhoc/fused_projections.py`."""
import torch
from timing import us as bench
torch.set_num_threads(2)
P = lambda W, M: torch.ops.mkldnn._reorder_linear_weight(W, M)
L = lambda x, p: torch.ops.mkldnn._linear_pointwise(x, p, None, "none", [], "")
for M in (32, 64):
    x = torch.randn(M, 576)
    for parts in ((576, 192, 192), (1536, 1536)):
        Ws = [torch.randn(n, 576) for n in parts]; pk = [P(W, M) for W in Ws]; pf = P(torch.cat(Ws), M)
        sep = bench(lambda: [L(x, p) for p in pk]); fus = bench(lambda: L(x, pf).split(parts, -1))
        print(M, parts, "separate", round(sep), "fused", round(fus), flush=True)
    W = torch.randn(49152, 576); p = P(W, M); xb = x.bfloat16(); pb = P(W.bfloat16(), M)
    print(M, "head fp32 packed", round(bench(lambda: L(x, p), 50)), "bf16 packed", round(bench(lambda: L(xb, pb), 50)))
