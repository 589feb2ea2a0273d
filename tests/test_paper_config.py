"The paper scale's trainer configs build (vLLM colocated, or as a server across nodes) and the accelerate configs the README launches with load; none of it runs here (no GPU)."
from pathlib import Path

import pytest
import trl
from accelerate.commands.config.config_args import ClusterConfig

from conftest import ROOT
from saerl.grpo import scale_trainer_config


@pytest.mark.parametrize("override, mode", [(None, "colocate"), ("configs/overrides/paper_vllm_server.yaml", "server")])
def test_paper_trainer_config_builds(override, mode):
    a = scale_trainer_config("paper", ROOT/override if override else None)
    assert a.use_vllm and a.vllm_mode == mode and a.bf16 and a.max_completion_length == 1024 and a.num_generations == 8
    if mode == "server": assert (a.vllm_server_host, a.vllm_server_port) == ("10.0.0.1", 8000)


@pytest.mark.parametrize("name", ["multi_gpu", "zero2", "zero3", "fsdp2"])
def test_the_readmes_accelerate_configs_load(name):
    c = ClusterConfig.from_yaml_file(Path(trl.__file__).parent/"accelerate_configs"/f"{name}.yaml")   # TRL ships them; the README points there
    assert c.num_processes >= 1 and c.distributed_type.value in ("MULTI_GPU", "DEEPSPEED", "FSDP")
