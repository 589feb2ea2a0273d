"The mini pool follows the row contract and its ground truth (splits, noise, difficulty) is what the config says."
import json
from collections import Counter

import pytest

from conftest import build_once
from saerl.config import load_config
from saerl.data import NOISE_TYPES, PoolConfig, build_pool, canonical_form, eval_twins, load_pool
from saerl.verify import is_correct

pytestmark = pytest.mark.xdist_group("test_pool")   # its shared fixture: built once, on one worker


@pytest.fixture(scope="session")   # (not "module": under --dist loadgroup other files' tests may run between this file's)
def mini(tmp_path_factory):
    build_once(tmp_path_factory, "mini")
    return build_pool(load_config(PoolConfig, "mini"))


def test_mini_is_thousands_of_prompts_over_several_families(mini):
    cfg = load_config(PoolConfig, "mini")
    cells = sum(len(v) for v in cfg.families.values())
    assert len(mini.split("eval")) == cells * cfg.eval_per_level        # eval is whole; small question spaces shrink train + label
    assert cells * cfg.eval_per_level + 0.95 * cells * cfg.n_per_level <= len(mini) <= cells * (cfg.n_per_level + cfg.eval_per_level)
    assert len(mini) >= 2000
    assert set(Counter(r["family"] for r in mini)) == set(cfg.families)


def test_eval_is_clean_and_disjoint(mini):
    ev = mini.split("eval")
    assert not any(r["is_noisy"] for r in ev)
    rest = {r["question"] for r in mini.split("train", "label")}
    assert not rest & {r["question"] for r in ev}
    assert eval_twins(mini.rows) == []                                   # nor up to commuting: no eval form occurs in train or label
    forms = [canonical_form(r["family"], r["question"]) for r in mini if not r["is_noisy"]]
    assert len(forms) == len(set(forms))


def test_noise_rate_and_types(mini):
    body = mini.split("train", "label").rows
    assert abs(sum(r["is_noisy"] for r in body) / len(body) - 0.15) < 0.01
    assert set(Counter(r["noise_type"] for r in body if r["is_noisy"])) == set(NOISE_TYPES)
    # the label split sees noise at the same rate, so a quality probe can be fit on it
    lab = mini.split("label").rows
    assert 0.08 < sum(r["is_noisy"] for r in lab) / len(lab) < 0.22


def test_clean_reference_answers_are_right(mini):
    # every clean row's own reference answer passes its verifier; a corrupted reference is rejected
    # by the verifier of the clean twin (a different number)
    clean = [r for r in mini if not r["is_noisy"]]
    assert all(is_correct(r, f"The answer is {r['answer']}.") for r in clean)
    assert not any(is_correct(r, f"The answer is {int(r['answer']) + 1}.") for r in clean[:200])


def test_difficulty_knobs_recorded(mini):
    r = next(r for r in mini if r["family"] == "basic_arithmetic" and r["difficulty"]["level"] == 1)
    assert r["difficulty"] == {"level": 1, "terms": 2, "digits": 2}


def test_roundtrip_and_prompt_shape(mini, tmp_path):
    p = mini.save(tmp_path/"p.jsonl")
    assert load_pool(p).rows == mini.rows
    first = json.loads(p.read_text().splitlines()[0])
    assert list(first) == ["id", "family", "question", "prompt", "answer", "difficulty", "is_noisy", "noise_type", "split"]
    assert first["prompt"][0]["role"] == "user" and first["question"] in first["prompt"][0]["content"]


def test_arithmetic_answers_follow_precedence(mini):
    # independent of reasoning-gym's own answers: evaluate the printed expression
    # (reasoning-gym 0.1.25 answered `7 + 1 * 5` with 40; saerl.data.checked_answer recomputes those)
    import re
    n = 0
    for r in mini:
        if r["is_noisy"] or r["family"] not in ("basic_arithmetic", "chain_sum", "products"): continue
        expr = re.search(r"-?\d+(?:\s*[-+*]\s*-?\d+)+", r["question"])[0]
        assert int(r["answer"]) == eval(expr), (r["id"], r["question"], r["answer"])
        n += 1
    assert n > 1000
