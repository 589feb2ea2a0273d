"""Session 24: where a float32 rollout's time goes — one GRPO rollout as the trainer's copy makes it (prepacked, shared
prefill, rounds of 8, inverse-CDF sampler; 8 confirm-pool prompts x 4 rows, <= 48 tokens), timed, then profiled (top ops
by self CPU time). `python bench/adhoc/rollout_profile_fp32.py` from the repo root."""
import json, time, torch
from transformers import LogitsProcessorList
from torch.profiler import profile
from saerl.model import ModelConfig, load_policy, chat_text
import saerl.rollout as R
torch.set_num_threads(2)
model, tok = load_policy(ModelConfig()); model.eval().requires_grad_(False)
R.prepack_linears(model)
rows = [json.loads(l) for l in open("results/confirm/inputs/pool.jsonl")][:8]
enc = tok([chat_text(tok, r["prompt"]) for r in rows], return_tensors="pt", padding=True, add_special_tokens=False)
ids, mask = enc["input_ids"].repeat_interleave(4, 0), enc["attention_mask"].repeat_interleave(4, 0)
sampler = LogitsProcessorList([R.InverseCDFSampler(0.8)])
run = lambda: R.generate_in_rounds(model, ids, mask, 48, 8, pad_token_id=tok.pad_token_id, do_sample=False, logits_processor=sampler)
torch.manual_seed(0); run()
t = time.perf_counter(); torch.manual_seed(0); out = run(); dt = time.perf_counter() - t
new = out[:, ids.shape[1]:]
print(f"{dt:.2f} s, {int((new != tok.pad_token_id).sum())} completion tokens, width {new.shape[1]}")
with profile() as p:
    torch.manual_seed(0); run()
print(p.key_averages().table(sort_by="self_cpu_time_total", row_limit=18))
