"""A user's own Hugging Face model directory (a random-initialised small Qwen2) and an SAE saved in sae-lens's own format for it,
through `sae` (load, not train) -> `features` -> `signals` -> one `train` step, as a user with Qwen2.5-Math-1.5B and a registry SAE runs them."""
import json

import torch
from sae_lens import TopKSAE, TopKSAEConfig
from sae_lens.saes.sae import SAEMetadata
from transformers import Qwen2Config, Qwen2ForCausalLM

from conftest import run_cli
from saerl.model import ModelConfig, load_policy


def test_a_users_qwen2_and_sae_lens_sae_end_to_end(tmp_path):
    _, tok = load_policy(ModelConfig(name="tiny"))                       # any tokenizer with a chat template
    cfg = Qwen2Config(vocab_size=len(tok), hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                      max_position_embeddings=1024, tie_word_embeddings=True, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                      pad_token_id=tok.pad_token_id)                      # GQA, as Qwen2.5's
    torch.manual_seed(0)
    Qwen2ForCausalLM(cfg).save_pretrained(tmp_path/"model"); tok.save_pretrained(tmp_path/"model")
    sae = TopKSAE(TopKSAEConfig(d_in=64, d_sae=128, k=8, dtype="float32", device="cpu",
                                metadata=SAEMetadata(hook_name="blocks.1.hook_resid_post", model_name="user-qwen2")))
    sae.save_model(str(tmp_path/"sae"))                                  # sae-lens's own format: cfg.json + sae_weights.safetensors
    user = tmp_path/"user.yaml"
    user.write_text(f"model:\n  name: {tmp_path/'model'}\nsae:\n  path: {tmp_path/'sae'}\ntrain:\n  max_steps: 1\n")
    out = {}
    for cmd in (["sae"], ["features"], ["signals", "--out", tmp_path/"signals"], ["train", "--condition", "saerl", "--out", tmp_path/"runs"]):
        p = run_cli(*cmd, "--scale", "tiny", "--config", user, "--quiet", cwd=tmp_path)
        assert p.returncode == 0, (cmd, p.stderr[-2000:])
        out[cmd[0]] = p.stdout
    assert "SAE blocks.1.hook_resid_post: d_in=64 d_sae=128" in out["sae"] and "at the configured location" in out["sae"]   # loaded, not trained
    assert "128 latents" in out["features"] and "residual 64-d" in out["features"]
    assert (tmp_path/"signals"/"schedule_sae.json").exists() and "sae" in out["signals"]
    run = tmp_path/"runs"/"tiny"/"runs"/"saerl__s0"
    summary, config = json.loads((run/"summary.json").read_text()), json.loads((run/"config.json").read_text())
    assert summary["steps"] == 1 and summary["sae"] and config["model"]["name"] == str(tmp_path/"model")
    assert config["schedule"]["schedule"]["difficulty_source"] == "sae"
