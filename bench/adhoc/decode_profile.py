"Ad hoc (session 17): see bench/adhoc/README.md."
import time, torch, copy
from saerl.model import ModelConfig, load_policy, chat_text
from saerl.data import scale_pool
from transformers import DynamicCache
torch.manual_seed(0)
model, tok = load_policy(ModelConfig(name="smollm2"))
m = model.eval().to(torch.bfloat16)
rows = scale_pool("mini").split("train").rows[:8]
enc = tok([chat_text(tok, r["prompt"]) for r in rows], return_tensors="pt", padding=True, add_special_tokens=False)
ids, mask = enc["input_ids"].repeat_interleave(4, 0), enc["attention_mask"].repeat_interleave(4, 0)
with torch.no_grad():
    c = DynamicCache(config=m.config)
    o = m(input_ids=ids, attention_mask=mask, past_key_values=c, use_cache=True, logits_to_keep=1)
    x = o.logits[:, -1].argmax(-1, keepdim=True); a = torch.cat([mask, torch.ones_like(x)], 1)
    for i in range(3):
        o = m(input_ids=x, attention_mask=a, past_key_values=c, use_cache=True); x = o.logits[:, -1].argmax(-1, keepdim=True); a = torch.cat([a, torch.ones_like(x)], 1)
    from torch.profiler import profile, ProfilerActivity
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for i in range(8):
            o = m(input_ids=x, attention_mask=a, past_key_values=c, use_cache=True); x = o.logits[:, -1].argmax(-1, keepdim=True); a = torch.cat([a, torch.ones_like(x)], 1)
print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=25))
