#!/usr/bin/env node
import "../dist/bt-fmt.js";
