#!/usr/bin/env node
// The main job: every seed script in examples/ goes through the toolkit the way a user would
// use it — parsed, linted for the target release, checked by the formatter, then run through
// the real bpftrace by bt-run (when this machine can: root and a bpftrace binary).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const examplesDir = join(root, "examples");
const cli = (pkg, name) => join(root, "packages", pkg, "dist", `${name}.js`);
const target = process.env.BT_TARGET ?? "0.27";

function run(args, options = {}) {
  const result = spawnSync(process.execPath, args, { encoding: "utf8", ...options });
  return { code: result.status ?? 2, out: `${result.stdout ?? ""}${result.stderr ?? ""}`.trimEnd() };
}

function indent(text) {
  return text ? text.split("\n").map((l) => `    ${l}`).join("\n") : "    (nothing)";
}

function findBpftrace() {
  for (const candidate of [process.env.BPFTRACE, "/usr/local/bin/bpftrace-0.27", "/usr/bin/bpftrace"]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** How each seed is run: a traced command, or system-wide for a while with some activity. */
function runPlan(file) {
  const text = readFileSync(join(examplesDir, file), "utf8");
  if (text.includes("/nix/store/") && !existsSync("/nix/store")) {
    return { skip: "its attach points name /nix/store paths, which this host does not have; its portable version runs instead" };
  }
  if (file.startsWith("exit-codes")) return { args: ["--", "/bin/false"] };
  return { args: ["--duration", "3s"], activity: true };
}

let failures = 0;
const files = readdirSync(examplesDir).filter((f) => f.endsWith(".bt")).sort();
const bpftrace = findBpftrace();
const isRoot = process.getuid?.() === 0;

for (const file of files) {
  const path = join(examplesDir, file);
  console.log(`\n=== ${file} ===`);

  const parsed = run([cli("parser", "bt-parse"), "--json", "--target", target, path]);
  if (parsed.code === 2) failures++;
  try {
    const result = JSON.parse(parsed.out.split("\n")[0]);
    const probes = result.ast.body.filter((n) => n.type === "Probe");
    console.log(`  parse (target ${result.target}): ${result.ok ? "ok" : "errors"}, ${probes.length} probe(s)`);
    for (const probe of probes) console.log(`    ${probe.attachPoints.map((ap) => ap.raw).join(", ")}${probe.predicate ? "  /predicate/" : ""}`);
  } catch {
    console.log(indent(parsed.out));
  }

  for (const lintTarget of [...new Set(["0.17", target])]) {
    const lint = run([cli("linter", "bt-lint"), "--format", "json", "--target", lintTarget, path]);
    if (lint.code === 2) {
      failures++;
      console.log(indent(lint.out));
      continue;
    }
    const findings = JSON.parse(lint.out)[0]?.findings ?? [];
    console.log(`  bt-lint --target ${lintTarget}: ${findings.length === 0 ? "clean" : `${findings.length} finding(s)`}`);
    for (const f of findings) console.log(`    ${f.line}:${f.column} ${f.severity} [${f.rule}] ${f.message}${f.fix ? " (autofix available)" : ""}`);
  }

  // --diff exits like --check (0 formatted, 1 would change, 2 error) and prints the diff too
  const fmt = run([cli("formatter", "bt-fmt"), "--diff", path]);
  if (fmt.code === 2) failures++;
  console.log(`  bt-fmt --check: ${fmt.code === 0 ? "already formatted" : fmt.code === 1 ? "would reformat" : "error"}`);
  if (fmt.code !== 0) console.log(indent(fmt.out));

  const plan = runPlan(file);
  if (plan.skip) {
    console.log(`  bt-run: not run: ${plan.skip}`);
    continue;
  }
  if (!bpftrace || !isRoot) {
    console.log(`  bt-run: not run: ${!bpftrace ? "no bpftrace installed (bash scripts/setup.sh installs it)" : "bpftrace needs root"}`);
    continue;
  }
  const args = [cli("runner", "bt-run"), "--bpftrace", bpftrace, path, ...plan.args];
  console.log(`  bt-run with ${bpftrace}:`);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  if (plan.activity) {
    // Short-lived processes for the lifetime histograms, started once the probes are attached.
    setTimeout(() => {
      for (const cmd of ["/bin/true", "/bin/ls", "/bin/date", "/bin/true", "/bin/ls"]) spawnSync(cmd, [], { stdio: "ignore" });
    }, 1500);
  }
  const code = await new Promise((resolve) => child.on("close", (c) => resolve(c ?? 2)));
  console.log(indent(output.trimEnd()));
  console.log(`    (exit ${code})`);
  if (code === 2) failures++;
}

console.log(failures === 0 ? "\nAll seed scripts went through bt-parse, bt-lint, bt-fmt and bt-run." : `\n${failures} step(s) failed to run.`);
process.exit(failures === 0 ? 0 : 1);
