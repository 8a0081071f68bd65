/**
 * The bt-fmt, bt-lint and bt-parse commands as a shell runs them: the bin file executed directly
 * (through a symlink, like node_modules/.bin), which starts as a shell script, drops
 * NODE_EXTRA_CA_CERTS and runs itself with node. Node warns on stderr when that variable names a
 * missing file, so an empty stderr shows the variable never reached node.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dir = mkdtempSync(join(tmpdir(), "bt-launch-"));
const spaced = join(dir, "a file.bt");
writeFileSync(spaced, 'BEGIN{printf("hi\\n")}\n');
const broken = join(dir, "broken.bt");
writeFileSync(broken, "BEGIN { printf( }\n");

const env = { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, "missing-ca.pem") };

const cases = [
  { pkg: "formatter", name: "bt-fmt", ok: { args: [spaced], stdout: 'BEGIN\n{\n  printf("hi\\n")\n}\n' }, errorCode: 2 },
  { pkg: "linter", name: "bt-lint", ok: { args: ["--format", "json", spaced], stdout: undefined }, errorCode: 1 },
  { pkg: "parser", name: "bt-parse", ok: { args: [spaced], stdout: "" }, errorCode: 1 },
];

describe("CLI commands start as shell scripts without NODE_EXTRA_CA_CERTS", () => {
  for (const c of cases) {
    const bin = join(root, "packages", c.pkg, "bin", `${c.name}.js`);
    const link = join(dir, c.name);
    it.skipIf(!existsSync(join(root, "packages", c.pkg, "dist")))(c.name, () => {
      symlinkSync(bin, link);
      const ok = spawnSync(link, c.ok.args, { env, encoding: "utf8" });
      expect(ok.stderr).toBe("");
      expect(ok.status).toBe(0);
      if (c.ok.stdout !== undefined) expect(ok.stdout).toBe(c.ok.stdout);
      else expect(JSON.parse(ok.stdout)).toBeTruthy();
      const bad = spawnSync(link, [broken], { env, encoding: "utf8" });
      expect(bad.status).toBe(c.errorCode);
      expect(bad.stderr + bad.stdout).toMatch(/broken\.bt(:1:|\n\s+1:)17/);
      expect(bad.stderr).not.toContain("extra certs");
      // Run with node directly, the file is plain JavaScript (and node does see the variable).
      const direct = spawnSync(process.execPath, [bin, ...c.ok.args], { env, encoding: "utf8" });
      expect(direct.status).toBe(0);
      expect(direct.stderr).toContain("Ignoring extra certs");
    });
  }
});
