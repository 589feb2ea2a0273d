"""Feature-extraction throughput: saerl's batched, truncated pass vs a naive per-prompt full pass, vs the FLOP bound.

    python bench/features.py --scale mini --n 512 --naive 48

A benchmark, not a test: it prints one table. The FLOP bound is measured in the same run (fp32 matmul
GFLOP/s on this machine) and counts only the work saerl has to do: the blocks up to the hooked layer and
the SAE encoder.
"""
import argparse, dataclasses, resource, time

import numpy as np

import torch

from saerl.config import load_config
from saerl.data import scale_pool
from saerl.features import FeaturesConfig, extract_batchwise, tokenize_prompt
from saerl.model import ModelConfig, load_policy
from saerl.sae import SAEConfig, get_sae

from flops import matmul_gflops, timed as _timed



def flops_per_token(model, layer, sae, seq):
    "Multiply-adds x2 of blocks 0..layer (weights + attention over `seq` tokens) and the SAE encoder."
    blocks = model.model.layers[:layer + 1]
    w = sum(p.numel() for b in blocks for n, p in b.named_parameters() if p.dim() == 2)
    attn = 2 * seq * model.config.hidden_size * len(blocks)  # QK^T and AV, per token, averaged over positions
    return 2 * (w + attn + sae.cfg.d_in * sae.cfg.d_sae)


@torch.no_grad()
def naive(rows, model, tok, sae, layer):
    "One prompt at a time: full forward pass (all blocks and the LM head), then the SAE."
    n_tok = 0
    for r in rows:
        ids, mask = tokenize_prompt(tok, r["prompt"])
        out = model(input_ids=torch.tensor([ids]), output_hidden_states=True)
        x = out.hidden_states[layer + 1][0][torch.tensor(mask)]
        z = sae.encode(x); z.mean(0); z.max(0)
        n_tok += len(ids)
    return n_tok


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="mini"); ap.add_argument("--n", type=int, default=512)
    ap.add_argument("--naive", type=int, default=48, help="prompts for the (slow) naive baseline")
    args = ap.parse_args()
    torch.set_num_threads(torch.get_num_threads())
    gflops, gflops_bf16 = matmul_gflops(), matmul_gflops(dtype=torch.bfloat16)
    pool = scale_pool(args.scale)
    mc = load_config(ModelConfig, args.scale)
    model, tok = load_policy(mc)
    sae, _ = get_sae(mc, load_config(SAEConfig, args.scale), pool, model=model)
    hook = sae.cfg.metadata.hook_name; layer = int(hook.split(".")[-1])
    cfg = load_config(FeaturesConfig, args.scale)
    rows = pool.rows[:args.n]
    lens = [len(tokenize_prompt(tok, r["prompt"])[0]) for r in rows]
    extract_batchwise(rows[:16], model, tok, sae, hook, cfg)  # warm-up
    res = {}
    t_fast = _timed(lambda: res.__setitem__("fp32", extract_batchwise(rows, model, tok, sae, hook, cfg)))
    fast_tps = sum(lens) / t_fast
    bf = dataclasses.replace(cfg, dtype="bfloat16")
    extract_batchwise(rows[:16], model, tok, sae, hook, bf)
    t_bf = _timed(lambda: res.__setitem__("bf16", extract_batchwise(rows, model, tok, sae, hook, bf)))
    bf_tps = sum(lens) / t_bf
    a, b = res["fp32"]["mean"], res["bf16"]["mean"]
    cos = ((a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))).mean()
    top1 = (a.argmax(1) == b.argmax(1)).mean()
    t = time.perf_counter(); n_tok = naive(rows[:args.naive], model, tok, sae, layer); naive_tps = n_tok / (time.perf_counter() - t)
    fpt = flops_per_token(model, layer, sae, sum(lens) / len(lens))
    bound, bound_bf16 = gflops * 1e9 / fpt, gflops_bf16 * 1e9 / fpt
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"machine: {torch.get_num_threads()} threads, matmul 2048^3: fp32 {gflops:.0f} GFLOP/s, bf16 {gflops_bf16:.0f} GFLOP/s")
    print(f"model: {mc.name}, hook {hook} (blocks 0..{layer} of {model.config.num_hidden_layers}), SAE {sae.cfg.d_in}x{sae.cfg.d_sae}")
    print(f"prompts: {len(rows)} ({sum(lens)} tokens, mean {sum(lens) / len(lens):.0f}); batch_tokens={cfg.batch_tokens}")
    print(f"{'method':38} {'tokens/s':>10} {'x naive':>8} {'% of its bound':>15}")
    for name, tps, b in [("naive (1 prompt, full pass, SAE)", naive_tps, bound), ("saerl (batched, truncated, SAE)", fast_tps, bound),
                         ("saerl, bf16 autocast forward", bf_tps, bound_bf16), ("FLOP bound, fp32 (blocks 0..L + SAE)", bound, bound),
                         ("FLOP bound, bf16", bound_bf16, bound_bf16)]:
        print(f"{name:38} {tps:10.0f} {tps / naive_tps:8.1f} {100 * tps / b:14.0f}%")
    print(f"bf16 vs fp32 features (mean pooling): cosine {cos:.4f}, same top latent for {top1:.1%} of prompts")
    print(f"peak RSS: {rss:.2f} GiB")


if __name__ == "__main__":
    main()
