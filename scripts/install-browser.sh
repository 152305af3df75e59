#!/usr/bin/env bash
# Set up what the browser tests (tests/browser/) need:
#   - Debian's chromium (driven by Playwright for Python; Playwright's own browser
#     download does not work here, so the tests launch /usr/bin/chromium),
#   - poppler-utils (pdftotext reads the printed PDF in the print test),
#   - axe-core, pinned in package.json / package-lock.json, into ./node_modules.
# Without root or apt-get the browser cannot be installed: the script says so loudly
# and exits 0, and the browser tests skip. Under CI=true nothing may be skipped: a
# missing browser is an error here and in the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
ci=${CI:-false}
apt_updated=no

loud() {
  echo "" >&2
  echo "######################################################################" >&2
  echo "# install-browser: $*" >&2
  echo "######################################################################" >&2
  echo "" >&2
}

can_apt() {
  command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]
}

apt_install() {
  if [ "$apt_updated" = no ]; then
    apt-get update -qq
    apt_updated=yes
  fi
  echo "install-browser: apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  if can_apt; then
    apt_install "${missing[@]}"
  else
    loud "cannot install ${missing[*]} (needs root and apt-get). THE BROWSER TESTS WILL BE SKIPPED. Install them with: sudo apt-get install ${missing[*]}"
    if [ "$ci" = true ]; then
      echo "install-browser: CI=true, so the browser tests may not be skipped: failing." >&2
      exit 1
    fi
    # Still try axe-core below if npm is there: it does not need root.
  fi
fi

if command -v npm >/dev/null 2>&1; then
  if [ ! -f node_modules/axe-core/axe.min.js ] \
     || ! grep -q "\"version\": \"$(node -p "require('./package-lock.json').packages['node_modules/axe-core'].version")\"" node_modules/axe-core/package.json; then
    echo "install-browser: npm ci (axe-core, pinned in package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
else
  loud "npm is missing: axe-core cannot be installed. THE ACCESSIBILITY TESTS WILL BE SKIPPED."
  if [ "$ci" = true ]; then exit 1; fi
fi

if [ -x "$CHROMIUM" ]; then
  echo "install-browser: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM"), axe-core $(node -p "require('./node_modules/axe-core/package.json').version" 2>/dev/null || echo missing)"
else
  loud "no Chromium at $CHROMIUM: THE BROWSER TESTS WILL BE SKIPPED."
  if [ "$ci" = true ]; then exit 1; fi
fi
exit 0
