# Sourced by the timing scripts (scripts/compare_decode.sh, scripts/compare_video_overhead.sh).
#
# best_of CMD...: runs CMD $REPEAT times under /usr/bin/time; prints "wall_s rss_kb" of the fastest
# run. Needs $REPEAT and a scratch folder $TMP; a failing run prints its stderr and exits 1.
best_of() {
    local best="" rss="" s kb
    for _ in $(seq "$REPEAT"); do
        /usr/bin/time -o "$TMP/t" -f '%e %M' "$@" >/dev/null 2>"$TMP/err" || {
            echo "failed: $*" >&2; cat "$TMP/err" >&2; exit 1; }
        read -r s kb <"$TMP/t"
        if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN{exit !(a<b)}'; then
            best=$s; rss=$kb
        fi
    done
    echo "$best $rss"
}
