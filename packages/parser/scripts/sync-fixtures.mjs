#!/usr/bin/env node
// Re-copies the parts of the shared bpftrace corpus that our tests need into
// fixtures/corpus/ so the tests are self-contained.
//   node packages/parser/scripts/sync-fixtures.mjs [--from DIR]
// Default source: ../shared/corpus relative to the repository root
// (i.e. /work/shared/corpus). Only the listed directories and files are copied;
// everything else in the shared corpus (fmt-HEAD, index.json, bench) stays there.
import { cpSync, existsSync, mkdirSync, rmSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
const args = process.argv.slice(2);
const fromIdx = args.indexOf("--from");
const from = resolve(fromIdx >= 0 ? args[fromIdx + 1] : join(root, "../shared/corpus"));
const to = join(root, "fixtures/corpus");

const DIRS = ["tools-HEAD", "tools-v0.17.0", "tools-v0.21.0", "runtime", "runtime-scripts", "self", "stdlib"];
const FILES = ["parser_cases.json", "attachpoint_cases.json", "verdicts.json"];

if (!existsSync(join(from, "verdicts.json"))) {
  console.error(`sync-fixtures: no corpus at ${from} (verdicts.json missing)`);
  process.exit(2);
}
mkdirSync(to, { recursive: true });
let count = 0;
for (const d of DIRS) {
  rmSync(join(to, d), { recursive: true, force: true });
  cpSync(join(from, d), join(to, d), {
    recursive: true,
    filter: (src) => statSync(src).isDirectory() || src.endsWith(".bt"),
  });
  const walk = (p) => (statSync(p).isDirectory() ? readdirSync(p).reduce((n, e) => n + walk(join(p, e)), 0) : 1);
  count += walk(join(to, d));
}
for (const f of FILES) {
  cpSync(join(from, f), join(to, f));
  count++;
}
writeFileSync(
  join(to, "ORIGIN.md"),
  `# Origin of fixtures/corpus

Copied from the shared bpftrace corpus (\`/work/shared/corpus\`, see its README.md) by
\`node packages/parser/scripts/sync-fixtures.mjs\`; do not edit by hand, re-run the script instead.

- Programs (\`tools-HEAD/\`, \`tools-v0.17.0/\`, \`tools-v0.21.0/\`, \`runtime/\`, \`runtime-scripts/\`, \`self/\`,
  \`stdlib/\`) and the test-case strings in \`parser_cases.json\` / \`attachpoint_cases.json\` come from the
  upstream bpftrace repository, https://github.com/bpftrace/bpftrace — licensed **Apache-2.0** —
  at master commit \`e1b7c39\` plus the tags \`v0.17.0\` and \`v0.21.0\`, extracted by the shared corpus tooling.
- \`verdicts.json\` records the parse-level verdicts of the real releases bpftrace 0.17.0, 0.23.2 and 0.27.1
  (produced with \`/work/shared/oracle/verdict\`).

Files: ${count}.
`,
);
console.log(`sync-fixtures: copied ${count} files from ${from} to ${to}`);
