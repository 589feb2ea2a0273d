"""Train with TRL's own `GRPOTrainer` on a saerl schedule, the way a TRL user plugs in a curriculum.

    saerl export --scale mini --condition saerl --out schedule.parquet
    python examples/trl_schedule.py schedule.parquet MODEL_DIR --steps 3

MODEL_DIR is any Hugging Face model directory. The rows are shuffled on purpose: the sampler (`saerl.export.schedule_sampler`,
TRL's own `RepeatSampler` walking the schedule's order) puts them back, so that step t trains the schedule's batch t; the
script checks it with the ids the reward function receives, and says so.
"""
import argparse, tempfile

from datasets import load_dataset
from trl import GRPOConfig, GRPOTrainer

from saerl.export import schedule_sampler
from saerl.verify import is_correct

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument("schedule", help="a schedule `saerl export` wrote (.parquet)")
p.add_argument("model", help="a Hugging Face model directory")
p.add_argument("--steps", type=int, default=3)
p.add_argument("--generations", type=int, default=2)
args = p.parse_args()

data = load_dataset("parquet", data_files=args.schedule, split="train").shuffle(seed=0)   # any row order will do
order = sorted(range(len(data)), key=lambda i: data[i]["position"])                      # the schedule's training order
batch = data["batch"].count(0)                                                             # prompts per step

seen = []   # the prompt ids each step's reward call gets (each repeated once per generation)
def correctness(completions, answer, family, question, id, **kwargs):
    seen.append(id)
    return [float(is_correct(dict(answer=a, family=f, question=q), c[-1]["content"])) for c, a, f, q in zip(completions, answer, family, question)]

class ScheduledGRPOTrainer(GRPOTrainer):
    def _get_train_sampler(self, dataset=None):
        return schedule_sampler(self, order)

cfg = GRPOConfig(output_dir=tempfile.mkdtemp(), per_device_train_batch_size=batch * args.generations, num_generations=args.generations,
                 max_completion_length=16, max_steps=args.steps, learning_rate=1e-6, logging_steps=1, save_strategy="no", report_to=[],
                 use_cpu=True, bf16=False)
ScheduledGRPOTrainer(model=args.model, reward_funcs=correctness, args=cfg, train_dataset=data).train()

for t, ids in enumerate(seen):
    want = [data[i]["id"] for i in order[t * batch:(t + 1) * batch]]
    assert ids[::args.generations] == want and ids == [i for i in want for _ in range(args.generations)], (t, ids, want)
print(f"TRL trained the schedule's batches 0..{len(seen) - 1} in order, {batch} prompts x {args.generations} completions per step")
