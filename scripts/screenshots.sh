#!/usr/bin/env bash
# The README's screenshots of the HTML report on a phone (390 px) and a desktop (1280 px), and of
# the batch index, made from the bundled samples with headless Chromium:
#   scripts/screenshots.sh            # writes docs/screenshots/*.png (8-bit palette PNGs, small)
# Needs a release build, chromium, ffmpeg and python3. Headless Chromium will not make a window
# narrower than 500 px, so each page is laid out in an iframe of the wanted width (as in
# tests/reports.rs) and the shot cropped to it.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=docs/screenshots
BIN=target/release/kneetrack
[ -x "$BIN" ] || cargo build --release
command -v chromium >/dev/null || { echo "screenshots: chromium is not installed (scripts/setup.sh --test)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/clips" "$OUT"
cp samples/valgus.mp4 "$tmp/clips/valgus.mp4"
cp samples/good.mp4 "$tmp/clips/good.mp4"
"$BIN" analyze "$tmp/clips" -m movenet-lightning --out "$tmp/out" --summary-only

# shot PAGE WIDTH HEIGHT NAME SCALE_WIDTH [SELECTOR]: lay PAGE out WIDTH px wide, scrolled to
# SELECTOR's element if given, keep the top HEIGHT px, scale to SCALE_WIDTH px and save as an
# 8-bit PNG.
shot() {
  local page=$1 width=$2 height=$3 name=$4 scale=$5 selector=${6:-}
  local probe="$tmp/out/probe-$name.html"
  python3 - "$page" "$probe" "$width" "$height" "$selector" <<'PY'
import html, json, sys
page, probe, w, h, sel = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
doc = open(page, encoding="utf-8").read()
if sel:
    doc = doc.replace("</body>", "<script>var e=document.querySelector(%s);if(e){scrollTo(0,e.offsetTop);}</script></body>" % json.dumps(sel))
open(probe, "w", encoding="utf-8").write(
    '<!DOCTYPE html><html><body style="margin:0">'
    f'<iframe style="width:{w}px;height:{h}px;border:0;display:block" srcdoc="{html.escape(doc, quote=True)}"></iframe>'
    "</body></html>")
PY
  local window=$(( width > 500 ? width : 500 ))
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$tmp/profile" --window-size="$window,$height" \
    --screenshot="$tmp/$name-raw.png" "file://$probe" 2>/dev/null
  ffmpeg -hide_banner -loglevel error -y -i "$tmp/$name-raw.png" \
    -vf "crop=$width:$height:0:0,scale=$scale:-1:flags=lanczos,split[a][b];[a]palettegen=max_colors=96[p];[b][p]paletteuse=dither=none" \
    "$OUT/$name.png"
  echo "$OUT/$name.png: $(stat -c %s "$OUT/$name.png") bytes"
}
shot "$tmp/out/valgus.kneetrack.html" 390 1500 report-phone 300
shot "$tmp/out/valgus.kneetrack.html" 1280 1150 report-desktop 760
shot "$tmp/out/index.html" 1280 260 index-desktop 760
shot "$tmp/out/valgus.kneetrack.html" 390 1100 report-pictures-phone 300 '.keyframes'
du -cb "$OUT"/*.png | tail -1
