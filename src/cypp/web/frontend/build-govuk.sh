#!/bin/sh
# Refresh the committed GOV.UK Frontend assets in ../static/govuk/.
# Needs Node/npm once, on a developer machine; nothing here runs at install or run time.
# Usage: sh src/cypp/web/frontend/build-govuk.sh [VERSION]   (default: the version below)
set -eu
VERSION="${1:-6.3.0}"
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="$HERE/../static/govuk"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund "govuk-frontend@$VERSION" sass >/dev/null
DIST=node_modules/govuk-frontend/dist/govuk
rm -rf "$OUT"
mkdir -p "$OUT"
npx sass --no-source-map --style=compressed --quiet-deps --load-path=node_modules \
  "$HERE/cypp.scss" "$OUT/cypp.min.css"
cp "$DIST/govuk-frontend.min.js" "$OUT/"
printf "govuk-frontend %s (MIT licence), compiled by build-govuk.sh\n" "$VERSION" > "$OUT/VERSION"
