#!/usr/bin/env python3
"""Per-frame BlazePose landmarks from Google's MediaPipe itself, as a reference for kneetrack.

Runs the legacy `mp.solutions.pose.Pose` graph (pose_detection + pose_landmark_full, tracking
between frames as in a video, landmark smoothing off so that each frame's output is the model's own)
over each clip and writes `<out>/<clip stem>.json`:

    {"clip": ..., "width": W, "height": H, "model_complexity": 1, "mediapipe": "0.10.14",
     "landmark_names": [...33 names...],
     "frames": [{"index": i, "landmarks": [[x, y, visibility, presence], ... 33] or null}, ...]}

x and y are display pixels (the clip as a player shows it, rotation applied); null means MediaPipe
found no person in that frame. Frames are decoded by the ffmpeg command line (which applies the
rotation metadata) one by one, in stream order, without dropping or duplicating any.

Run through scripts/mediapipe_reference.sh, which makes the virtual environment.
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

import mediapipe as mp
import numpy as np

NAMES = [
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
    "right_eye_outer", "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder",
    "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_pinky",
    "right_pinky", "left_index", "right_index", "left_thumb", "right_thumb", "left_hip",
    "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle", "left_heel",
    "right_heel", "left_foot_index", "right_foot_index",
]


def read_token(stream):
    """Next whitespace-delimited token of a PPM header."""
    token = b""
    while True:
        c = stream.read(1)
        if not c:
            return None
        if c == b"#":
            stream.readline()
            continue
        if c.isspace():
            if token:
                return token
            continue
        token += c


def frames(clip: Path, max_frames):
    """Yields upright RGB frames (H, W, 3) uint8, decoded by ffmpeg as PPM images."""
    cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", str(clip)]
    if max_frames:
        cmd += ["-frames:v", str(max_frames)]
    cmd += ["-fps_mode", "passthrough", "-f", "image2pipe", "-vcodec", "ppm", "-"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    try:
        while True:
            magic = read_token(proc.stdout)
            if magic is None:
                break
            if magic != b"P6":
                raise RuntimeError(f"unexpected ffmpeg output {magic!r}")
            w, h, maxval = (int(read_token(proc.stdout)) for _ in range(3))
            if maxval != 255:
                raise RuntimeError("16-bit PPM not supported")
            data = proc.stdout.read(w * h * 3)
            if len(data) < w * h * 3:
                break
            yield np.frombuffer(data, np.uint8).reshape(h, w, 3)
    finally:
        proc.stdout.close()
        proc.wait()


def run(clip: Path, out_dir: Path, complexity: int, max_frames) -> Path:
    records = []
    width = height = None
    with mp.solutions.pose.Pose(
        static_image_mode=False,
        model_complexity=complexity,
        smooth_landmarks=False,
        enable_segmentation=False,
        min_detection_confidence=0.5,
        min_tracking_confidence=0.5,
    ) as pose:
        for index, rgb in enumerate(frames(clip, max_frames)):
            height, width = rgb.shape[:2]
            result = pose.process(rgb)
            landmarks = None
            if result.pose_landmarks is not None:
                landmarks = [
                    [
                        round(lm.x * width, 2),
                        round(lm.y * height, 2),
                        round(lm.visibility, 4),
                        round(lm.presence, 4),
                    ]
                    for lm in result.pose_landmarks.landmark
                ]
            records.append({"index": index, "landmarks": landmarks})
    if not records:
        raise RuntimeError(f"{clip}: no frames decoded")
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{clip.stem}.json"
    doc = {
        "clip": clip.name,
        "width": width,
        "height": height,
        "model_complexity": complexity,
        "smooth_landmarks": False,
        "mediapipe": mp.__version__,
        "landmark_names": NAMES,
        "frames": records,
    }
    out.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    found = sum(r["landmarks"] is not None for r in records)
    print(f"{clip.name}: {len(records)} frames, person in {found} -> {out}", file=sys.stderr)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("clips", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, default=Path(".cache/reference/mediapipe"))
    ap.add_argument(
        "--complexity", type=int, default=1, choices=[0, 1, 2],
        help="0 lite, 1 full (the only one the PyPI wheel bundles), 2 heavy",
    )
    ap.add_argument("--max-frames", type=int, default=0, help="stop after this many frames")
    args = ap.parse_args()
    for clip in args.clips:
        run(clip, args.out, args.complexity, args.max_frames)


if __name__ == "__main__":
    main()
