import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);

it("TextMate grammar passes the scope assertions in test/grammar/*.bt (vscode-tmgrammar-test)", async () => {
  const pkg = require.resolve("vscode-tmgrammar-test/package.json");
  const cli = join(dirname(pkg), "dist", "unit.js");
  const files = readdirSync(join(root, "test", "grammar")).filter((f) => f.endsWith(".bt"));
  expect(files.length).toBeGreaterThan(0);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [cli, "-g", "syntaxes/bpftrace.tmLanguage.json", ...files.map((f) => `test/grammar/${f}`)],
    { cwd: root },
  ).catch((e: { stdout: string; stderr: string }) => {
    throw new Error(`grammar test failed:\n${e.stdout}${e.stderr}`);
  });
  for (const f of files) expect(stdout).toContain(`✓ test/grammar/${f} run successfuly`);
});
