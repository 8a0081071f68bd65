#!/usr/bin/env node
// CommonJS (bin/package.json): starting bt-fmt never loads Node's ES module loader.
require("../dist/bt-fmt.cjs");
