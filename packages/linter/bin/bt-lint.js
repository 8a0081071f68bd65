#!/bin/sh
":" //; unset NODE_EXTRA_CA_CERTS; exec node "$0" "$@"
// Run as a shell script (the `bt-lint` command), the line above drops NODE_EXTRA_CA_CERTS and runs
// this same file with node, which reads that line as a string and a comment. Node 20 loads the
// whole certificate file that variable names before any JavaScript runs (about 40 ms), and bt-lint
// opens no TLS connection; the programs it starts (nm, bpftrace --version) never read it.
import "../dist/bt-lint.js";
