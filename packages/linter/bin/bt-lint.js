#!/usr/bin/env node
import "../dist/bt-lint.js";
