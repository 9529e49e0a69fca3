#!/usr/bin/env bash
# Peak memory and wall time of `kneetrack analyze` on a one-minute 4K 60 fps portrait phone clip.
#
#   scripts/measure_rss_4k.sh [CLIP]
#
# Without CLIP, makes /tmp/kneetrack_4k60_60s.mp4 (kept for reuse; delete it to regenerate):
# samples/good.mp4 scaled to 2160x3840 at 60 fps, with light temporal noise so the bitrate is
# phone-like (~50 Mbit/s H.264), stored landscape 3840x2160 with a -90° display matrix exactly like
# a phone's portrait video, encoded once (~10 s) and then stream-copied in a loop to 60 s.
# (`kneetrack synth` allows up to 4096 px, but software-rendering 3600 4K frames is much slower.)
#
# Environment: MODEL (default movenet-lightning), THREADS (kneetrack --threads, default 0 = ORT's
#   choice as in a plain `kneetrack analyze`), POSE_RATE (kneetrack --pose-rate, default 30 as in a
#   plain `kneetrack analyze`: every 2nd frame of this 60 fps clip; 0 = every frame),
#   KNEETRACK (default target/release/kneetrack).
# Goal: peak RSS <= 300 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODEL=${MODEL:-movenet-lightning}
THREADS=${THREADS:-0}
POSE_RATE=${POSE_RATE:-30}
KNEETRACK=${KNEETRACK:-$ROOT/target/release/kneetrack}
[ -x "$KNEETRACK" ] || cargo build --release -q
CLIP=${1:-/tmp/kneetrack_4k60_60s.mp4}

if [ ! -s "$CLIP" ]; then
    BASE=$(mktemp --suffix=.mp4 /tmp/kneetrack_4k60_base_XXXX)
    trap 'rm -f "$BASE"' EXIT
    echo "generating $CLIP ..." >&2
    t0=$(date +%s)
    # transpose=2: 90° counter-clockwise, so the stored frame is the display turned back, as a
    # phone stores it; rotate=270 writes the display matrix ffprobe shows as rotation=-90.
    ffmpeg -nostdin -v error -y -i samples/good.mp4 \
        -vf "fps=60,scale=2160:3840:flags=bicubic,noise=alls=3:allf=t,transpose=2" \
        -c:v libx264 -preset ultrafast -b:v 50M -maxrate 60M -bufsize 100M -pix_fmt yuv420p -an "$BASE"
    ffmpeg -nostdin -v error -y -stream_loop -1 -i "$BASE" -t 60 -c copy \
        -metadata:s:v:0 rotate=270 "$CLIP"
    echo "generated in $(( $(date +%s) - t0 )) s" >&2
fi

probe() { ffprobe -v error -select_streams v:0 -show_entries "$1" -of default=nw=1:nk=1 "$CLIP" | head -1; }
dims="$(probe stream=width)x$(probe stream=height)"
rot=$(probe stream_side_data=rotation || true)
fps=$(probe stream=r_frame_rate)
frames=$(probe stream=nb_frames)
dur=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$CLIP")
mbps=$(ffprobe -v error -show_entries format=bit_rate -of default=nw=1:nk=1 "$CLIP" | awk '{printf "%.0f", $1/1e6}')

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "clip: $CLIP: stored $dims, display rotation ${rot:-0}, $fps fps, $frames frames, ${dur} s, ${mbps} Mbit/s"
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "+ /usr/bin/time -v $KNEETRACK analyze -q --model $MODEL --threads $THREADS --pose-rate $POSE_RATE $CLIP"
LOG=$(mktemp)
/usr/bin/time -v "$KNEETRACK" analyze -q --model "$MODEL" --threads "$THREADS" --pose-rate "$POSE_RATE" "$CLIP" 2>"$LOG" >/dev/null || {
    cat "$LOG" >&2; rm -f "$LOG"; exit 1; }
echo "load at end:   $(cut -d' ' -f1-3 /proc/loadavg)"
rss_kb=$(awk -F': ' '/Maximum resident set size/{print $2}' "$LOG")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$LOG")
user=$(awk -F': ' '/User time/{print $2}' "$LOG")
sys=$(awk -F': ' '/System time/{print $2}' "$LOG")
cpu=$(awk -F': ' '/Percent of CPU/{print $2}' "$LOG")
rm -f "$LOG"
wall_s=$(awk -v w="$wall" 'BEGIN{n=split(w,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}')
echo
echo "| clip | model | wall | frames/s | user s | sys s | CPU | peak RSS MB | goal <= 300 MB |"
echo "|------|-------|-----:|---------:|-------:|------:|----:|------------:|----------------|"
awk -v c="$(basename "$CLIP") ($dims rot ${rot:-0}, $fps fps, ${dur%.*} s, ${mbps} Mbit/s)" -v m="$MODEL" \
    -v w="$wall_s" -v f="$frames" -v u="$user" -v s="$sys" -v p="$cpu" -v kb="$rss_kb" 'BEGIN{
    printf "| %s | %s | %.1f s | %.1f | %.1f | %.1f | %s | %.1f | %s |\n", c, m, w, f/w, u, s, p, kb/1024, (kb/1024<=300?"met":"missed") }'
