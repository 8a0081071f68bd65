/** `npm run bench`: lint the whole corpus in one process and print ms per file. */
import { readFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { globSync } from "tinyglobby";
import { parse } from "@bt/parser";
import { lintText } from "./lint.ts";
import { buildModel } from "@bt/semantic";

const corpus = resolve(process.env.BT_CORPUS ?? "/work/shared/corpus");
if (!existsSync(corpus)) {
  console.error(`bench: corpus not found at ${corpus} (set BT_CORPUS)`);
  process.exit(2);
}
// bench/big*.bt are the corpus concatenated (the parser's throughput inputs), not programs of their own.
const files = globSync("**/*.bt", { cwd: corpus, ignore: ["fmt-HEAD/**", "bench/**"] }).sort();
const targetOf = (f: string) => (f.startsWith("tools-v0.17.0") ? "0.17" : f.startsWith("tools-v0.21.0") ? "0.21" : "0.27");
const texts = files.map((f) => [f, readFileSync(join(corpus, f), "utf8")] as const);
// Warm-up (JIT, parser setup).
for (const [f, t] of texts.slice(0, 20)) lintText(t, { target: targetOf(f), readFileSystem: false });
const t0 = performance.now();
let findings = 0;
let bytes = 0;
for (const [f, t] of texts) {
  findings += lintText(t, { target: targetOf(f), readFileSystem: false }).findings.length;
  bytes += t.length;
}
const ms = performance.now() - t0;
console.log(`bt-lint bench: ${texts.length} files (${(bytes / 1024).toFixed(0)} KiB) in ${ms.toFixed(0)} ms — ${(ms / texts.length).toFixed(2)} ms/file, ${findings} findings`);

// The semantic model and type checker alone, on parses made beforehand (their share of the row above).
const parsed = texts.map(([f, t]) => [parse(t, { target: targetOf(f) }).ast, targetOf(f)] as const);
const t1 = performance.now();
let problems = 0;
for (const [ast, target] of parsed) problems += buildModel(ast, target).types.problems.length;
const typeMs = performance.now() - t1;
console.log(`bt-lint bench: semantic model + type checker ${(typeMs / texts.length).toFixed(3)} ms/file, ${problems} type problems`);
