#!/usr/bin/env node
import "../dist/bt-lsp.js";
