"""Session 23: one float32 decoding step (32 rows, dynamic cache), ms per step; flags: p = prepacked linears
(saerl.rollout.prepack_linears), e = eager attention, prof = also print torch.profiler's table. `python bench/adhoc/decode_step_fp32.py p e`."""
import time, json, sys, torch
from transformers import DynamicCache
from saerl.model import ModelConfig, load_policy, chat_text
import saerl.rollout as R
torch.set_num_threads(2)
model, tok = load_policy(ModelConfig()); model.eval().requires_grad_(False)
rows = [json.loads(l) for l in open("results/confirm/inputs/pool.jsonl")][:8]
enc = tok([chat_text(tok, r["prompt"]) for r in rows], return_tensors="pt", padding=True, add_special_tokens=False)
ids, mask = enc["input_ids"].repeat_interleave(4, 0), enc["attention_mask"].repeat_interleave(4, 0)
if "p" in sys.argv[1:]: print("packed", R.prepack_linears(model))
if "e" in sys.argv[1:]: model.set_attn_implementation("eager"); print("eager")
with torch.no_grad():
    cache = DynamicCache(config=model.config)
    out = model(input_ids=ids, attention_mask=mask, past_key_values=cache, use_cache=True, logits_to_keep=1)
    nxt = out.logits[:, -1].argmax(-1, keepdim=True)
    def step():
        global mask, nxt
        mask = torch.cat([mask, torch.ones(32, 1, dtype=mask.dtype)], 1)
        o = model(input_ids=nxt, attention_mask=mask, past_key_values=cache, use_cache=True, logits_to_keep=1)
        nxt = o.logits[:, -1].argmax(-1, keepdim=True)
    for _ in range(3): step()
    t = time.perf_counter()
    for _ in range(10): step()
    print("ms/step", (time.perf_counter() - t) / 10 * 1000)
    if "prof" not in sys.argv[1:]: sys.exit(0)
    from torch.profiler import profile
    with profile() as p:
        for _ in range(5): step()
    print(p.key_averages().table(sort_by="self_cpu_time_total", row_limit=18))
    W = torch.randn(576, 1536); x = torch.randn(32, 576)
    t = time.perf_counter()
    for _ in range(200): x @ W
    print("32x576x1536 matmul us", (time.perf_counter() - t) / 200 * 1e6, "GF/s", 2*32*576*1536/((time.perf_counter() - t) / 200)/1e9)
