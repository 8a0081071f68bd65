#!/bin/sh
":" //; unset NODE_EXTRA_CA_CERTS; exec node "$0" "$@"
// Run as a shell script (the `bt-parse` command), the line above drops NODE_EXTRA_CA_CERTS and runs
// this same file with node, which reads that line as a string and a comment. Node 20 loads the
// whole certificate file that variable names before any JavaScript runs (about 40 ms), and bt-parse
// opens no TLS connection and starts no program.
import "../dist/bt-parse.js";
