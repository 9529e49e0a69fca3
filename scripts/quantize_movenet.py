"""Static int8 (QDQ) quantisation of a MoveNet ONNX model with onnxruntime.quantization.

    quantize_movenet.py IN.onnx OUT.onnx CLIP [CLIP ...]

Calibration: every 10th frame of the given clips (the bundled synthetic samples by default), a
square from the upper middle of the picture scaled to the model input, as MoveNet's crop would
show the person. Weights int8 per channel, activations uint8 (MinMax). The last KEEP_FLOAT_CONVS
(default 20) convolutions, the keypoint heads, stay in float: quantising them too moved the good
sample's peak FPPA by about 3 degrees.
"""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod, QuantFormat,
                                      QuantType, quantize_static)
from onnxruntime.quantization.shape_inference import quant_pre_process


def frames(clip, side):
    square = "min(iw,ih*0.75)"
    vf = (f"select='not(mod(n\\,10))',crop='{square}':'{square}':'(iw-{square})/2':ih*0.2,"
          f"scale={side}:{side}")
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", clip, "-vf", vf, "-fps_mode", "passthrough",
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         check=True, capture_output=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, side, side, 3)


class Frames(CalibrationDataReader):
    def __init__(self, name, data):
        self.name, self.it = name, iter(data)

    def get_next(self):
        f = next(self.it, None)
        return None if f is None else {self.name: f[None].astype(np.int32)}


def main():
    src, dst, clips = sys.argv[1], sys.argv[2], sys.argv[3:]
    inp = onnx.load(src).graph.input[0]
    side = inp.type.tensor_type.shape.dim[1].dim_value
    data = np.concatenate([frames(c, side) for c in clips])
    print(f"{os.path.basename(dst)}: calibrating on {len(data)} frames of {side}x{side}",
          file=sys.stderr)
    pre = dst + ".pre.tmp"
    try:
        quant_pre_process(src, pre, skip_symbolic_shape=True)
        keep = int(os.environ.get("KEEP_FLOAT_CONVS", "20"))
        convs = [n.name for n in onnx.load(pre).graph.node if n.op_type == "Conv"]
        quantize_static(pre, dst, Frames(inp.name, data), quant_format=QuantFormat.QDQ,
                        per_channel=True, activation_type=QuantType.QUInt8,
                        weight_type=QuantType.QInt8, calibrate_method=CalibrationMethod.MinMax,
                        nodes_to_exclude=convs[len(convs) - keep:] if keep else [])
    finally:
        if os.path.exists(pre):
            os.remove(pre)


if __name__ == "__main__":
    main()
