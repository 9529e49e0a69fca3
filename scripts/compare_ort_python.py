#!/usr/bin/env python3
"""Median latency of ONNX models in Python onnxruntime, on a fixed input, per intra-op thread count.

Session options match kneetrack's src/runtime.rs: graph optimisation level ALL, intra-op threads
as given with one inter-op thread, and intra-op spinning OFF (kneetrack's default; set
KNEETRACK_ORT_SPIN=1 to turn it on in both, as kneetrack does). The input is a fixed
deterministic array of the model's input shape and type (int32 0..255 for MoveNet), so this is
inference only: no decode, no crop, no keypoint decoding.

Prints one JSON object: {"onnxruntime": version, "results": [{model, path, threads, runs,
warmup, p50_ms, mean_ms, min_ms, p99_ms}, ...]}.
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
import onnxruntime as ort

DTYPES = {
    "tensor(int32)": np.int32,
    "tensor(float)": np.float32,
    "tensor(uint8)": np.uint8,
    "tensor(int64)": np.int64,
}


def session(path: str, threads: int, spin: bool) -> ort.InferenceSession:
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    if threads > 0:
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
    so.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
    so.log_severity_level = 3
    return ort.InferenceSession(path, sess_options=so, providers=["CPUExecutionProvider"])


def fixed_input(sess: ort.InferenceSession) -> dict:
    inp = sess.get_inputs()[0]
    shape = [d if isinstance(d, int) and d > 0 else 1 for d in inp.shape]
    dtype = DTYPES.get(inp.type)
    if dtype is None:
        sys.exit(f"unsupported input type {inp.type}")
    rng = np.random.default_rng(12345)
    if dtype is np.float32:
        data = rng.random(shape, dtype=np.float32)
    else:
        data = rng.integers(0, 256, size=shape).astype(dtype)
    return {inp.name: data}


def pct(sorted_ms: list, p: float) -> float:
    # Linear interpolation between closest ranks, as kneetrack's signal::percentile.
    if len(sorted_ms) == 1:
        return sorted_ms[0]
    k = (len(sorted_ms) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(sorted_ms) - 1)
    return sorted_ms[lo] + (sorted_ms[hi] - sorted_ms[lo]) * (k - lo)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="+", help="NAME=PATH.onnx or PATH.onnx")
    ap.add_argument("--threads", default="1,2", help="comma-separated intra-op thread counts")
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--warmup", type=int, default=10)
    args = ap.parse_args()
    spin = os.environ.get("KNEETRACK_ORT_SPIN") == "1"
    results = []
    for spec in args.models:
        name, _, path = spec.rpartition("=")
        name = name or os.path.splitext(os.path.basename(path))[0]
        for threads in [int(t) for t in args.threads.split(",") if t]:
            sess = session(path, threads, spin)
            feed = fixed_input(sess)
            for _ in range(args.warmup):
                sess.run(None, feed)
            ms = []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                sess.run(None, feed)
                ms.append((time.perf_counter() - t0) * 1000.0)
            ms.sort()
            results.append(
                {
                    "model": name,
                    "path": path,
                    "threads": threads,
                    "runs": args.runs,
                    "warmup": args.warmup,
                    "p50_ms": statistics.median(ms),
                    "mean_ms": statistics.fmean(ms),
                    "min_ms": ms[0],
                    "p99_ms": pct(ms, 99.0),
                }
            )
    json.dump({"onnxruntime": ort.__version__, "spinning": spin, "results": results}, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
