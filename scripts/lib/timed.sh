# Sourced by the interleaved timing scripts (compare_frame_rates.sh, compare_realtime.sh).
#
# timed CMD...: runs CMD once under /usr/bin/time; prints "wall_s user_s sys_s rss_kb". Needs a
#   scratch folder $TMP; a failing run prints its stderr and exits 1.
# median VALUES...: the median of the numbers given.
timed() {
    /usr/bin/time -o "$TMP/t" -f '%e %U %S %M' "$@" >/dev/null 2>"$TMP/err" || {
        echo "failed: $*" >&2; cat "$TMP/err" >&2; exit 1; }
    tail -1 "$TMP/t"
}

median() {
    printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END{print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'
}
