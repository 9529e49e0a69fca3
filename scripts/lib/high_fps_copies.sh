# Sourced by scripts/compare_pose_rate.sh and scripts/compare_frame_rates.sh.
#
# high_fps_copy CLIP FPS: prints the path of CLIP resampled to FPS (ffmpeg minterpolate, blended
# in-between frames: the same motion at FPS frames a second), made once under .cache/clips/.
high_fps_copy() {
    local clip=$1 fps=$2 out
    out=.cache/clips/$(basename "${clip%.*}")_${fps}fps.mp4
    if [ ! -s "$out" ]; then
        mkdir -p .cache/clips
        ffmpeg -nostdin -v error -y -i "$clip" -vf "minterpolate=fps=$fps:mi_mode=blend" \
            -c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p "$out.tmp.mp4"
        mv "$out.tmp.mp4" "$out"
    fi
    echo "$out"
}
