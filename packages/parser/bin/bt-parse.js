#!/usr/bin/env node
import "../dist/bt-parse.js";
