#!/usr/bin/env bash
# Everything bt needs on a fresh machine of this kind (Debian 12, Node 20, root):
# npm dependencies, the real bpftrace releases used as oracles and by bt-run,
# and the editor client used to test the language server.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  oracle="../shared/oracle/install.sh"
  if [ -f "$oracle" ]; then
    bash "$oracle" || echo "setup: some bpftrace releases did not install; tests that need them will be skipped" >&2
  else
    command -v bpftrace >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bpftrace; } || true
  fi
  # Real editor clients for the language-server tests: Neovim and Emacs with eglot.
  missing=()
  command -v nvim >/dev/null 2>&1 || missing+=(neovim)
  command -v emacs >/dev/null 2>&1 || missing+=(emacs-nox elpa-eglot)
  command -v unzip >/dev/null 2>&1 || missing+=(unzip)
  if [ ${#missing[@]} -gt 0 ]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >/dev/null 2>&1 \
      || echo "setup: ${missing[*]} did not install; the editor-client tests that need them will be skipped" >&2
  fi
  # Real VS Code for packages/vscode/src/exthost.test.ts (code-server + Chromium, ~1.5 min, 300 MB)
  # and Neovim 0.12 (pull diagnostics) beside Debian's 0.7 for the language-server tests.
  clients="../shared/clients"
  if [ ! -x /opt/code-server/node_modules/.bin/code-server ] && [ -f "$clients/vscode/get-code-server.sh" ]; then
    { apt-get update -qq && sh "$clients/vscode/get-code-server.sh" /opt/code-server; } >/dev/null 2>&1 \
      || echo "setup: code-server did not install; the VS Code extension-host test will be skipped" >&2
  fi
  if [ ! -x /opt/nvim-sid/nvim ] && [ -f "$clients/nvim/get-nvim-sid.sh" ]; then
    sh "$clients/nvim/get-nvim-sid.sh" /opt/nvim-sid >/dev/null 2>&1 \
      || echo "setup: Neovim 0.12 did not install; its editor test will be skipped" >&2
  fi
  if ! command -v g++ >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq g++ >/dev/null 2>&1 || true
  fi
  # sys/sdt.h for the USDT test program of packages/system; binutils (readelf, c++filt) for DWARF and demangling.
  if [ ! -f /usr/include/x86_64-linux-gnu/sys/sdt.h ] && [ ! -f /usr/include/aarch64-linux-gnu/sys/sdt.h ] && [ ! -f /usr/include/sys/sdt.h ]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemtap-sdt-dev binutils; } >/dev/null 2>&1 \
      || echo "setup: systemtap-sdt-dev did not install; the USDT test of packages/system will be skipped" >&2
  fi
else
  echo "setup: not root (or no apt): skipping bpftrace and neovim; tests that need them will be skipped" >&2
fi
