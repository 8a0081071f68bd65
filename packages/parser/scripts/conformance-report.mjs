#!/usr/bin/env node
// Writes the current disagreements between our parser and real bpftrace
// (bpftrace's message and our first diagnostic, grouped by category) to
// tmp/conformance-report.md and .json, by running the conformance test with
// BT_CONFORMANCE_REPORT set.
//   node packages/parser/scripts/conformance-report.mjs            report only
//   node packages/parser/scripts/conformance-report.mjs --update   also rewrite
//        fixtures/conformance/disagreements.json (keeps existing reasons; new
//        entries get a "TODO: …" reason to be filled in)
//   node packages/parser/scripts/conformance-report.mjs --out PATH
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const args = process.argv.slice(2);
const outIdx = args.indexOf("--out");
const env = {
  ...process.env,
  BT_CONFORMANCE_REPORT: outIdx >= 0 ? resolve(args[outIdx + 1]) : "1",
  ...(args.includes("--update") ? { BT_CONFORMANCE_UPDATE: "1" } : {}),
};
const vitest = join(root, "node_modules/vitest/vitest.mjs");
const r = spawnSync(process.execPath, [vitest, "run", "packages/parser/src/conformance.test.ts"], {
  cwd: root,
  env,
  stdio: "inherit",
});
process.exit(r.status ?? 1);
