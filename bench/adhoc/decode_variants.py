"Ad hoc (session 17): see bench/adhoc/README.md."
import time, torch, copy, sys
from saerl.model import ModelConfig, load_policy, chat_text
from saerl.data import scale_pool
from saerl.trainer import decoder_layers
from transformers import DynamicCache
torch.manual_seed(0)
model, tok = load_policy(ModelConfig(name="smollm2"))
m = model.eval().to(torch.bfloat16)
rows = scale_pool("mini").split("train").rows[:8]
enc = tok([chat_text(tok, r["prompt"]) for r in rows], return_tensors="pt", padding=True, add_special_tokens=False)
ids, mask = enc["input_ids"].repeat_interleave(4, 0), enc["attention_mask"].repeat_interleave(4, 0)
def run(m, n=48):
    with torch.no_grad():
        c = DynamicCache(config=m.config)
        o = m(input_ids=ids, attention_mask=mask, past_key_values=c, use_cache=True, logits_to_keep=1)
        x = o.logits[:, -1].argmax(-1, keepdim=True); a = torch.cat([mask, torch.ones_like(x)], 1)
        out = [x]
        t = time.perf_counter()
        for i in range(n):
            o = m(input_ids=x, attention_mask=a, past_key_values=c, use_cache=True); x = o.logits[:, -1].float().argmax(-1, keepdim=True); a = torch.cat([a, torch.ones_like(x)], 1); out.append(x)
        return (time.perf_counter() - t) / n, torch.cat(out, 1)
base_t, base_out = min((run(m) for _ in range(2)), key=lambda r: r[0])
print(f"plain: {base_t*1000:.1f} ms/step")
mode = sys.argv[1]
if mode == "profile":   # where 8 plain bf16 decode steps at 32 rows spend their time
    from torch.profiler import profile, ProfilerActivity
    with profile(activities=[ProfilerActivity.CPU]) as prof: run(m, 8)
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=25)); sys.exit()
if mode in ("compile", "both"):
    for l in decoder_layers(m): l.compile(dynamic=True)
    t0 = time.time(); run(m, 4); print(f"compile warmup {time.time()-t0:.0f}s")
if mode in ("pack", "both"):
    class Packed(torch.nn.Module):
        def __init__(self, lin):
            super().__init__(); self.lin = lin; self.w = torch.ops.mkldnn._reorder_linear_weight(lin.weight, 32)
        def forward(self, x):
            sh = x.shape
            y = torch.ops.mkldnn._linear_pointwise(x.reshape(-1, sh[-1]), self.w, self.lin.bias, "none", [], "")
            return y.reshape(*sh[:-1], y.shape[-1])
    for name, mod in list(m.named_modules()):
        for cn, ch in list(mod.named_children()):
            if isinstance(ch, torch.nn.Linear): setattr(mod, cn, Packed(ch))
t, out = min((run(m) for _ in range(2)), key=lambda r: r[0])
print(f"{mode}: {t*1000:.1f} ms/step; same greedy tokens: {torch.equal(out, base_out)} ({(out != base_out).any(1).float().mean():.2f} rows differ)")
