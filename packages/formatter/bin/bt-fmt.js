#!/bin/sh
":" /*
# Run as a shell script (the `bt-fmt` command), this part starts node; node reads it as a
# string and a comment. It drops NODE_EXTRA_CA_CERTS: Node 20 loads the whole certificate file
# that variable names before any JavaScript runs (about 40 ms), and bt-fmt opens no TLS
# connection and starts no program. It starts from the V8 startup snapshot dist/bt-fmt.blob
# (src/snapshot.ts) when the build made one with this very node (dist/bt-fmt.blob.node is the
# same file, and older than the snapshot) from this bundle (older than the snapshot), and
# NODE_OPTIONS is empty: node refuses a snapshot made by another Node or under other V8 flags.
# BT_FMT_SNAPSHOT=off starts without it.
unset NODE_EXTRA_CA_CERTS
self=$(readlink -f -- "$0" 2>/dev/null) || self=$0
dist=${self%/*}/../dist
node=$(command -v node)
if [ "${BT_FMT_SNAPSHOT:-}" != off ] && [ -z "${NODE_OPTIONS:-}" ] && [ "$dist/bt-fmt.blob.node" -ef "$node" ] &&
  [ "$dist/bt-fmt.blob" -nt "$node" ] && [ "$dist/bt-fmt.blob" -nt "$dist/bt-fmt-bundle.cjs" ]; then
  exec node --snapshot-blob "$dist/bt-fmt.blob" "$self" "$@"
fi
exec node "$self" "$@"
*/
// CommonJS (bin/package.json): starting bt-fmt never loads Node's ES module loader.
require("../dist/bt-fmt.cjs");
