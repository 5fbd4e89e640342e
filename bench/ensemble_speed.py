"""What an ensemble costs the core of ``parse``, its members run one after another or merged.

For 1, 3 and 5 members (copies of a checkpoint with small random changes: speed does not
depend on the weights), it times the recurrent layers and heads alone on embedded words:
on ONNX Runtime with one thread (the CPU path of ``parse``), the members as separate
operators in one graph (``model.onnx_core``, today's path) against one block-diagonal
network (``model.merged``); and, with ``--device cuda``, in PyTorch on the GPU, one
sentence and a batch of 256. It checks that both give the same probabilities.

    python bench/ensemble_speed.py                 # CPU
    python bench/ensemble_speed.py --device cuda   # also the GPU
"""

from __future__ import annotations

import argparse
import io
import json
import time
import warnings
from pathlib import Path

import numpy as np
import torch

from model import Tagger, bundled_model_path, load_checkpoint
from model.ensemble import combine
from model.merged import MergedMembers
from model.onnx_core import _Unpadded


def _copies(path: Path, count: int):
    checkpoints = []
    for seed in range(count):
        generator, checkpoint = torch.Generator().manual_seed(seed), load_checkpoint(path)
        [state] = checkpoint.state_dicts[:1]
        checkpoint.state_dicts = [
            {k: v + 0.01 * torch.randn(v.shape, generator=generator) if v.is_floating_point() else v
             for k, v in state.items()}
        ]  # fmt: skip
        checkpoints.append(checkpoint)
    return checkpoints[0] if count == 1 else combine(checkpoints)


def _session(module: torch.nn.Module, width: int):
    import onnxruntime

    buffer = io.BytesIO()
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module.eval(), (torch.zeros(1, 3, width),), buffer, input_names=["embedded"],
            output_names=["slots", "intents"], dynamic_axes={"embedded": {0: "batch", 1: "time"}}, dynamo=False,
        )  # fmt: skip
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(buffer.getvalue(), options, providers=["CPUExecutionProvider"])


def _median_ms(call, repeats: int) -> float:
    for _ in range(max(10, repeats // 10)):
        call()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return 1000 * float(np.median(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=None, help="a one-network checkpoint (default: the bundled one)")
    parser.add_argument("--members", type=int, nargs="+", default=[1, 3, 5])
    parser.add_argument("--words", type=int, default=11, help="sentence length (ATIS averages 11)")
    parser.add_argument("--repeats", type=int, default=1000)
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--json-out", type=Path, default=None)
    args = parser.parse_args()
    torch.set_num_threads(1)
    rows = []
    for count in args.members:
        network = Tagger.from_checkpoint(_copies(args.model or bundled_model_path(), count), device="cpu").network
        width = network.encoder.output_dim
        x = np.random.default_rng(0).standard_normal((1, args.words, width), dtype=np.float32)
        separate = _session(_Unpadded(network), width)
        row = {
            "members": count,
            "onnx_separate_ms": _median_ms(lambda s=separate, v=x: s.run(None, {"embedded": v}), args.repeats),
        }
        modules = {"separate": _Unpadded(network).eval()}
        if count > 1:
            modules["merged"] = MergedMembers(network).eval()
            merged = _session(modules["merged"], width)
            row["onnx_merged_ms"] = _median_ms(lambda s=merged, v=x: s.run(None, {"embedded": v}), args.repeats)
            a, b = separate.run(None, {"embedded": x}), merged.run(None, {"embedded": x})
            row["max_difference"] = max(float(np.abs(a[i] - b[i]).max()) for i in range(2))
        if args.device == "cuda":
            for name, module in modules.items():
                module.to("cuda")
                for batch in (1, 256):
                    gpu_x = torch.randn(batch, args.words, width, device="cuda")

                    def call(m=module, v=gpu_x) -> None:
                        with torch.inference_mode():
                            m(v)
                        torch.cuda.synchronize()

                    row[f"cuda_{name}_batch{batch}_ms"] = _median_ms(call, args.repeats)
        rows.append(row)
        print(json.dumps(row), flush=True)
    if args.json_out is not None:
        args.json_out.write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
