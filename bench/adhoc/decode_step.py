"Ad hoc (session 17): see bench/adhoc/README.md."
import time, torch, sys
from saerl.model import ModelConfig, load_policy
from saerl.data import scale_pool
from saerl.model import chat_text
torch.manual_seed(0)
model, tok = load_policy(ModelConfig(name="smollm2"))
model.eval()
pool = scale_pool("mini")
rows = pool.split("train").rows[:8]
texts = [chat_text(tok, r["prompt"]) for r in rows]
enc = tok(texts, return_tensors="pt", padding=True, add_special_tokens=False)
ids, mask = enc["input_ids"].repeat_interleave(4, 0), enc["attention_mask"].repeat_interleave(4, 0)
print("batch", ids.shape, "threads", torch.get_num_threads())
def t(f, n=3):
    f(); best = 1e9
    for _ in range(n):
        s = time.perf_counter(); f(); best = min(best, time.perf_counter() - s)
    return best
for dt in (torch.bfloat16, torch.float32):
    m = model.to(dt)
    with torch.no_grad():
        g = lambda: m.generate(input_ids=ids, attention_mask=mask, max_new_tokens=48, min_new_tokens=48, do_sample=False, pad_token_id=tok.pad_token_id)
        s = t(g, 2); print(dt, "generate 48 tok:", f"{s:.2f}s", f"{48*ids.shape[0]/s:.0f} tok/s", f"{1000*s/48:.1f} ms/step")
        # one decode step via forward with cache
        from transformers import DynamicCache
        cache = DynamicCache(config=m.config)
        out = m(input_ids=ids, attention_mask=mask, past_key_values=cache, use_cache=True, logits_to_keep=1)
        nxt = out.logits[:, -1].argmax(-1, keepdim=True)
        am = torch.cat([mask, torch.ones_like(nxt)], 1)
        def step():
            c = DynamicCache(config=m.config)
            o = m(input_ids=ids, attention_mask=mask, past_key_values=c, use_cache=True, logits_to_keep=1)
            return c
        c0 = step()
        import copy
        def dec():
            c = copy.deepcopy(c0)
            a = am
            x = nxt
            for i in range(16):
                o = m(input_ids=x, attention_mask=a, past_key_values=c, use_cache=True)
                x = o.logits[:, -1].argmax(-1, keepdim=True); a = torch.cat([a, torch.ones_like(x)], 1)
        s = t(dec, 2); print(dt, "manual decode:", f"{1000*s/16:.1f} ms/step")
        # linear microbench
        lin = m.model.layers[0].mlp.gate_proj
        x = torch.randn(32, 576, dtype=dt)
        s = t(lambda: [lin(x) for _ in range(100)]); print(dt, "gate_proj 32x576->1536:", f"{s*10:.3f} ms")
        head = m.lm_head
        s = t(lambda: [head(x) for _ in range(10)]); print(dt, "lm_head 32x576->49152:", f"{s*100:.2f} ms")
# memory bandwidth
a = torch.empty(2**28, dtype=torch.float32)  # 1 GiB
a.fill_(1.0)
s = t(lambda: a.sum(), 3); print("read bandwidth (sum 1GiB):", f"{1/s:.1f} GiB/s")
