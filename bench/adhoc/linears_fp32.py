"""Session 23: one float32 product per decoder shape and the LM head, F.linear vs x @ W.T (contiguous) vs oneDNN-prepacked
weights, at 32, 64 and 128 rows (microseconds), beside each shape's bound at 332 GFLOP/s and 22 GiB/s.
`python bench/adhoc/linears_fp32.py`."""
import torch, torch.nn.functional as F
from timing import us as bench
torch.set_num_threads(2)
for M in (32, 64, 128):
  for K, N in ((576, 1536), (1536, 576), (576, 576), (576, 192), (576, 49152)):
    W = torch.randn(N, K); x = torch.randn(M, K); Wt = W.t().contiguous()
    pk = torch.ops.mkldnn._reorder_linear_weight(W, M)
    r = dict(linear=bench(lambda: F.linear(x, W), 100 if N > 10000 else 300),
             xWt=bench(lambda: x @ Wt, 100 if N > 10000 else 300),
             packed=bench(lambda: torch.ops.mkldnn._linear_pointwise(x, pk, None, "none", [], ""), 100 if N > 10000 else 300))
    bound = max(2*M*K*N/332e9, 4*K*N/(22*2**30)) * 1e6
    print(M, K, N, {k: round(v) for k, v in r.items()}, "bound us", round(bound), flush=True)
