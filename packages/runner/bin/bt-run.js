#!/usr/bin/env node
import "../dist/bt-run.js";
