"""Session 23: float32 decoding of 8 prompts x 4 rows, 48 tokens, greedy: generate with the dynamic cache, with a static
cache, and with a static cache + torch.compile (transformers CompileConfig on the CPU). Prints tokens/s and whether greedy
outputs agree. `python bench/adhoc/decode_compile_fp32.py` from the repository root."""
import time, json, sys, torch
from transformers import CompileConfig
from saerl.model import ModelConfig, load_policy, chat_text
from saerl.rollout import generate_shared_prefill
torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
model, tok = load_policy(ModelConfig()); model.eval().requires_grad_(False)
rows = [json.loads(l) for l in open("results/confirm/inputs/pool.jsonl")][:64]
texts = [chat_text(tok, r["prompt"]) for r in rows[:8]]
enc = tok(texts, return_tensors="pt", padding=True, add_special_tokens=False)
ids, mask = enc["input_ids"].repeat_interleave(4, 0), enc["attention_mask"].repeat_interleave(4, 0)
print("prompt", ids.shape, tok.padding_side)
N = 48
def run(name, f, reps=3):
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); out = f(); ts.append(time.perf_counter() - t)
    print(f"{name}: {[round(x,2) for x in ts]} s, {32*N/min(ts):.0f} tok/s (all {N} steps)", flush=True)
    return out
kw = dict(max_new_tokens=N, min_new_tokens=N, do_sample=False, pad_token_id=tok.pad_token_id)
with torch.no_grad():
    a = run("eager dynamic", lambda: model.generate(input_ids=ids, attention_mask=mask, **kw, disable_compile=True))
    b = run("eager static", lambda: model.generate(input_ids=ids, attention_mask=mask, **kw, cache_implementation="static", disable_compile=True))
    cc = CompileConfig(fullgraph=False, dynamic=False); cc._compile_all_devices = True
    t = time.perf_counter()
    c = model.generate(input_ids=ids, attention_mask=mask, **kw, cache_implementation="static", compile_config=cc)
    print("compile first call", round(time.perf_counter() - t, 1))
    c = run("compiled static", lambda: model.generate(input_ids=ids, attention_mask=mask, **kw, cache_implementation="static", compile_config=cc))
    print("greedy same a/b/c:", (a == b).all().item(), (a == c).all().item(), (a != c).any(1).sum().item())
