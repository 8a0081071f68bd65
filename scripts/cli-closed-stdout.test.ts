/**
 * Every CLI, run the way `bt-… | head` runs it once `head` has quit: standard output closed.
 * Writing then fails with EPIPE, which must end the run quietly (no Node stack trace), with the
 * exit code the run would have had. Runs the built bundles (`npm run build` first).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (pkg: string, name: string) => join(root, "packages", pkg, "bin", name);

/** Runs `args` under node with its standard output closed from the start. */
function withClosedStdout(args: string[], input = ""): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const p = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "pipe"] });
    p.stdout.destroy();
    let stderr = "";
    p.stderr.on("data", (d) => (stderr += d));
    p.on("error", reject);
    p.on("close", (code) => resolvePromise({ code, stderr }));
    p.stdin.end(input);
  });
}

const dir = mkdtempSync(join(tmpdir(), "bt-closed-stdout-"));
// Large enough that the output cannot hide in a pipe buffer.
const big = join(dir, "big.bt");
writeFileSync(big, 'begin{printf("hi\\n");}\n'.repeat(5000));
const unused = 'k:f { $x = 1; }\n'.repeat(2000);

const cases: { name: string; args: string[]; input?: string; code: number }[] = [
  { name: "bt-parse", args: [bin("parser", "bt-parse.js"), "--help"], code: 0 },
  { name: "bt-lint (findings: exit 1)", args: [bin("linter", "bt-lint.js"), "--stdin", "--format", "json", "--no-fs", "--max-warnings", "0"], input: unused, code: 1 },
  { name: "bt-fmt", args: [bin("formatter", "bt-fmt.js"), big], code: 0 },
  { name: "bt-run --help", args: [bin("runner", "bt-run.js"), "--help"], code: 0 },
];

describe("a closed standard output ends a CLI quietly", () => {
  for (const c of cases) {
    it.skipIf(!existsSync(c.args[0]))(c.name, async () => {
      const r = await withClosedStdout(c.args, c.input);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(c.code);
    });
  }
});
