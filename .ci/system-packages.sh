#!/usr/bin/env bash
# Installs the real tools the tests use (browser, QR decoder, PDF tools, gettext, PostgreSQL),
# only those that are missing, so a warm machine starts the tests at once.
set -euo pipefail
PACKAGES=(chromium chromium-driver fonts-noto-core fonts-dejavu-core libzbar0 zbar-tools librsvg2-bin poppler-utils
          gettext postgresql)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# npm installs axe-core for the browser tests; NodeSource's nodejs ships it, Debian's needs the npm package.
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing system packages: ${missing[*]} (run 'make test' as root once, or install them with apt)" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
