"""Session 23: forward + backward of the loss pass (bf16 autocast, gradient checkpointing) on 8 groups x 4 completions
of random tokens, TRL's layout (each row prompt + completion) vs saerl.trainer.group_packed; args: attention kernel
(sdpa or eager) and 1 to compile the layers. `python bench/adhoc/loss_shared_prompt.py eager 1`."""
import sys, time, torch
from saerl.model import ModelConfig, load_policy
from saerl.trainer import decoder_layers, group_packed
torch.set_num_threads(2)
model, tok = load_policy(ModelConfig())
impl, comp = sys.argv[1], sys.argv[2] == "1"
model.set_attn_implementation(impl)
model.gradient_checkpointing_enable(); model.train()
if comp:
    for m in decoder_layers(model): m.compile(dynamic=True)
torch.manual_seed(0)
P, C = 70, 48
ids = torch.randint(5, 40000, (32, P + C)); am = torch.ones(32, P + C, dtype=torch.long)
for g in range(8):
    ids[4*g:4*g+4, :P] = ids[4*g, :P]; am[4*g:4*g+4, :torch.randint(0, 15, ()).item()] = 0
for r in range(32): am[r, P + torch.randint(8, 49, ()).item():] = 0
keep = am[:, P:].bool()
bb, head = model.model, model.lm_head
def plain():
    with torch.autocast("cpu", dtype=torch.bfloat16):
        h = bb(input_ids=ids, attention_mask=am).last_hidden_state[:, P - 1:-1]
        return head(h[keep]).float().logsumexp(-1).mean()
def packed():
    gids, mask, pos, grp, src = group_packed(ids, am, C, impl, model.config.hidden_size)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        h = bb(input_ids=gids, attention_mask=mask, position_ids=pos).last_hidden_state[grp[:, None].expand_as(src), src]
        return head(h[keep]).float().logsumexp(-1).mean()
print("packed shape", group_packed(ids, am, C, impl, model.config.hidden_size)[0].shape, "plain", ids.shape)
for name, f in (("plain", plain), ("packed", packed), ("plain", plain), ("packed", packed)):
    for _ in range(2): model.zero_grad(); f().backward()
    t = time.perf_counter()
    for _ in range(3): model.zero_grad(); l = f(); l.backward()
    print(impl, comp, name, round((time.perf_counter() - t) / 3, 2), "s", float(l), flush=True)
