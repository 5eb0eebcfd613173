#!/usr/bin/env bash
# Regenerate Sala's vendored front-end files from vendor/package-lock.json and check them against
# vendor/SHA256SUMS. For maintainers only: `make` never runs npm, the committed files are what ships.
#
#   vendor/update.sh            install the locked packages, verify, copy into webapp/static
#   vendor/update.sh --verify   only check the committed files against SHA256SUMS (no npm)
#   vendor/update.sh --rehash   after a deliberate version bump: install, copy, rewrite SHA256SUMS
#
# To bump a version: edit vendor/package.json, run `npm install --package-lock-only --ignore-scripts`
# inside vendor/, then `vendor/update.sh --rehash`, and review the diff.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
sums="$here/SHA256SUMS"
mode="${1:-install}"

if [[ "$mode" == "--verify" ]]; then
    cd "$root" && sha256sum --check --quiet "$sums" && echo "vendored files match vendor/SHA256SUMS"
    exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$here/package.json" "$here/package-lock.json" "$work/"
# --ignore-scripts: vendored packages get no chance to run code on a maintainer's machine.
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

nm="$work/node_modules"
stage="$work/stage"
font="$nm/@fontsource/noto-sans-khmer"

# Stage with the final repository paths, so the checksums are checked before anything is overwritten.
mkdir -p "$stage/webapp/static/vendor/htmx" "$stage/webapp/static/fonts"
cp "$nm/htmx.org/dist/htmx.min.js" "$stage/webapp/static/vendor/htmx/htmx.min.js"
cp "$nm/htmx.org/LICENSE" "$stage/webapp/static/vendor/htmx/LICENSE"
cp "$font/files/noto-sans-khmer-khmer-400-normal.woff2" "$stage/webapp/static/fonts/NotoSansKhmer-Regular.woff2"
cp "$font/files/noto-sans-khmer-khmer-700-normal.woff2" "$stage/webapp/static/fonts/NotoSansKhmer-Bold.woff2"
cp "$font/LICENSE" "$stage/webapp/static/fonts/OFL.txt"

# bpmn-js: the prebuilt UMD bundles (modeler to edit drafts, navigated viewer to read versions) and the
# CSS and icon font they need. Its licence requires the bpmn.io watermark to stay visible.
bpmn="$nm/bpmn-js/dist"
bpmn_out="$stage/webapp/static/vendor/bpmn-js"
mkdir -p "$bpmn_out/assets/bpmn-font/css" "$bpmn_out/assets/bpmn-font/font"
cp "$bpmn/bpmn-modeler.production.min.js" "$bpmn/bpmn-navigated-viewer.production.min.js" "$bpmn_out/"
cp "$bpmn/assets/diagram-js.css" "$bpmn/assets/bpmn-js.css" "$bpmn_out/assets/"
cp "$bpmn/assets/bpmn-font/css/bpmn.css" "$bpmn_out/assets/bpmn-font/css/"
cp "$bpmn/assets/bpmn-font/font/"bpmn.{eot,svg,ttf,woff,woff2} "$bpmn_out/assets/bpmn-font/font/"
cp "$nm/bpmn-js/LICENSE" "$bpmn_out/LICENSE"

# dmn-js: the read-only viewer of decision tables, with its CSS and icon font (same watermark rule).
dmn="$nm/dmn-js/dist"
dmn_out="$stage/webapp/static/vendor/dmn-js"
mkdir -p "$dmn_out/assets/dmn-font/css" "$dmn_out/assets/dmn-font/font"
cp "$dmn/dmn-viewer.production.min.js" "$dmn_out/"
cp "$dmn/assets/"{diagram-js,dmn-js-shared,dmn-js-decision-table,dmn-js-drd,dmn-js-literal-expression}.css \
    "$dmn_out/assets/"
cp "$dmn/assets/dmn-font/css/dmn.css" "$dmn_out/assets/dmn-font/css/"
cp "$dmn/assets/dmn-font/font/"dmn.{eot,svg,ttf,woff,woff2} "$dmn_out/assets/dmn-font/font/"
cp "$nm/dmn-js/LICENSE" "$dmn_out/LICENSE"

if [[ "$mode" == "--rehash" ]]; then
    (cd "$stage" && find . -type f -printf '%P\n' | LC_ALL=C sort | xargs sha256sum) >"$sums"
    echo "rewrote vendor/SHA256SUMS"
elif [[ "$mode" == "install" ]]; then
    (cd "$stage" && sha256sum --check --quiet "$sums")
else
    echo "usage: vendor/update.sh [--verify | --rehash]" >&2
    exit 2
fi

cp -R "$stage/." "$root/"
echo "vendored files updated and verified"
