"Ad hoc (session 18): where one GRPO update (forward + backward of 32 sequences, bf16 autocast) spends its time, with and without checkpointing and per attention kernel."
import sys, time, torch
from torch.profiler import profile, ProfilerActivity
from saerl.model import ModelConfig, load_policy, chat_text
from saerl.data import scale_pool
torch.manual_seed(0)
model, tok = load_policy(ModelConfig(name="smollm2"))
rows = scale_pool("mini").split("train").rows[:8]
enc = tok([chat_text(tok, r["prompt"]) for r in rows], return_tensors="pt", padding=True, add_special_tokens=False)
C = 28
ids = torch.cat([enc["input_ids"].repeat_interleave(4, 0), torch.randint(100, 5000, (32, C))], 1)
mask = torch.cat([enc["attention_mask"].repeat_interleave(4, 0), torch.ones(32, C, dtype=torch.long)], 1)
print("tokens", int(mask.sum()), "shape", tuple(ids.shape))
opt = torch.optim.AdamW(model.parameters(), lr=1e-6)
def step(ckpt, attn):
    model.config._attn_implementation = attn
    if ckpt: model.gradient_checkpointing_enable(gradient_checkpointing_kwargs=dict(use_reentrant=False))
    else: model.gradient_checkpointing_disable()
    model.train()
    t = [time.perf_counter()]
    with torch.autocast("cpu", dtype=torch.bfloat16):
        h = model.model(input_ids=ids, attention_mask=mask).last_hidden_state[:, -C - 1:-1]
        logits = model.lm_head(h.reshape(-1, h.shape[-1]))
    lp = torch.log_softmax(logits.float(), -1).gather(-1, ids[:, -C:].reshape(-1, 1)).squeeze(-1)
    loss = -(lp * torch.randn_like(lp)).mean()
    t.append(time.perf_counter()); loss.backward(); t.append(time.perf_counter())
    opt.step(); opt.zero_grad(); t.append(time.perf_counter())
    return [b - a for a, b in zip(t, t[1:])]
for ckpt in (True, False):
    for attn in ("sdpa", "eager"):
        step(ckpt, attn)
        ts = [step(ckpt, attn) for _ in range(2)]
        f, b, o = (min(x) for x in zip(*ts))
        print(f"ckpt={ckpt} attn={attn}: forward {f:.2f} s, backward {b:.2f} s, optimizer {o:.2f} s")
if "profile" in sys.argv:
    with profile(activities=[ProfilerActivity.CPU]) as prof: step(True, "sdpa")
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=30))
