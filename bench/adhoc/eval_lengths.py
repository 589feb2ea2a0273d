"Ad hoc (session 17): see bench/adhoc/README.md."
import time, torch, dataclasses, copy
from saerl.model import ModelConfig, load_policy
from saerl.data import scale_pool
from saerl.rollout import RolloutConfig, generate_completions
torch.manual_seed(0)
model, tok = load_policy(ModelConfig(name="smollm2"))
m = copy.deepcopy(model).eval().to(torch.bfloat16)
rows = scale_pool("mini").split("eval").rows[:64]
prompts = [r["prompt"] for r in rows]
import saerl.rollout as R
calls = []
orig = R.generate_shared_prefill
def wrapped(model, ids, mask, **kw):
    t = time.perf_counter(); out = orig(model, ids, mask, **kw); calls.append((ids.shape, out.shape[1] - ids.shape[1], time.perf_counter() - t)); return out
R.generate_shared_prefill = wrapped
for name, rc in (("greedy", RolloutConfig(k=1, temperature=0, max_new_tokens=48, batch_size=64, seed=0)),
                 ("sampled", RolloutConfig(k=4, temperature=0.8, top_p=1.0, max_new_tokens=48, batch_size=256, seed=0))):
    calls.clear(); t = time.perf_counter()
    with torch.no_grad(): out = generate_completions(m, tok, prompts, rc, progress=False, fast=True)
    tot = time.perf_counter() - t
    print(name, f"{tot:.1f}s for 64 prompts;", [(tuple(s), n, round(d, 2)) for s, n, d in calls])
    lens = [len(tok(c, add_special_tokens=False).input_ids) for cs in out for c in cs]
    print("  completion tokens: mean", sum(lens) / len(lens), "max", max(lens), "share at cap", sum(l >= 47 for l in lens) / len(lens))
