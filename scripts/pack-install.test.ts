/**
 * The packed packages as a user gets them (issue #11): `npm pack` of the formatter, the linter and
 * the language server, `npm install` of the three tarballs into an empty project (prettier comes
 * from the registry or npm's cache, as the formatter's peer dependency), then every way of using
 * them: `prettier --plugin`, `.prettierrc` `plugins`, `npx bt-fmt`, `npx bt-lint`, `bt-lsp --stdio`.
 * The workspace packages (@bt/parser…) are bundled into dist/, so nothing may ask the registry
 * for them.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnStdioServer, waitFor } from "../packages/language-server/src/testing/stdio.ts";

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const npx = process.platform === "win32" ? "npx.cmd" : "npx";

const PACKAGES = [
  { dir: "formatter", name: "prettier-plugin-bpftrace" },
  { dir: "linter", name: "@bt/linter" },
  { dir: "language-server", name: "@bt/language-server" },
] as const;

/**
 * Run under `npm test`, npm's variables would carry the workspace into the empty project
 * (npm_config_local_prefix is the repository, npm_package_* its manifest): children see none of
 * those, but keep the registry, cache, CA and proxy settings.
 */
const WORKSPACE_CONTEXT = /^npm_(package_|lifecycle_|command$|execpath$|node_execpath$|config_(local_prefix|prefix|global|location|workspaces?|include_workspace_root)$)/i;
const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !WORKSPACE_CONTEXT.test(k)));

const work = mkdtempSync(join(tmpdir(), "bt-pack-install-"));
const tarballs = join(work, "tarballs");
const project = join(work, "project");
env.BT_FMT_CACHE_DIR = join(work, "bt-fmt-cache");

interface PackResult {
  filename: string;
  files: { path: string }[];
}
const packed = new Map<string, { tarball: string; files: string[]; manifest: Record<string, unknown> }>();

const formatCase = join(root, "fixtures/format/probes");
const lintInput = 'BEGIN { $x = 1; @m = count(); printf("%d\\n") }\n';

beforeAll(async () => {
  await run(npx, ["turbo", "run", "build", "--output-logs=errors-only", ...PACKAGES.map((p) => `--filter=${p.name}`)], {
    cwd: root,
    env,
  });
  mkdirSync(tarballs);
  for (const p of PACKAGES) {
    const pkgDir = join(root, "packages", p.dir);
    const { stdout } = await run(npm, ["pack", "--json", "--pack-destination", tarballs], { cwd: pkgDir, env });
    const [result] = JSON.parse(stdout) as PackResult[];
    packed.set(p.name, {
      tarball: join(tarballs, result.filename),
      files: result.files.map((f) => f.path),
      manifest: JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as Record<string, unknown>,
    });
  }
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "bt-pack-install-check", private: true }));
  await run(npm, ["install", "--prefer-offline", "--no-audit", "--no-fund", ...[...packed.values()].map((p) => p.tarball)], {
    cwd: project,
    env,
  });
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every file a manifest names for `main`, `types`, `bin` and the "." export. */
function manifestTargets(manifest: Record<string, unknown>): string[] {
  const targets: string[] = [];
  for (const field of ["main", "types", "typings"]) if (typeof manifest[field] === "string") targets.push(manifest[field] as string);
  const bin = manifest.bin;
  if (typeof bin === "string") targets.push(bin);
  else if (bin && typeof bin === "object") targets.push(...Object.values(bin as Record<string, string>));
  const collect = (e: unknown): void => {
    if (typeof e === "string") targets.push(e);
    else if (e && typeof e === "object") Object.values(e).forEach(collect);
  };
  const exports = manifest.exports as Record<string, unknown> | string | undefined;
  if (typeof exports === "string") collect(exports);
  else if (exports && typeof exports === "object") {
    // The formatter's `./source` and the private packages' "." are the TypeScript sources the
    // workspace's packages import from each other (see the READMEs); a user's copy has no src/.
    for (const value of Object.values(exports)) if (!(typeof value === "string" && value.startsWith("./src/"))) collect(value);
  }
  return targets.map((t) => t.replace(/^\.\//, ""));
}

describe("packed tarballs", () => {
  it.each(PACKAGES.map((p) => p.name))("%s: no bench bundle, snapshot, source map or sources; every entry point shipped", (name) => {
    const { files, manifest } = packed.get(name)!;
    expect(files.filter((f) => /(^|\/)bench\.js$|\.blob|\.map$|^src\//.test(f))).toEqual([]);
    const targets = manifestTargets(manifest);
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(files, `${name}: ${target}`).toContain(target);
    expect(manifest.dependencies ?? {}, "workspace packages and bundled libraries are devDependencies").toEqual({});
  });

  it("the plugin names prettier ^3 as its peer", () => {
    expect((packed.get("prettier-plugin-bpftrace")!.manifest.peerDependencies as Record<string, string>).prettier).toBe("^3.0.0");
  });
});

describe("installed into an empty project", () => {
  const input = readFileSync(join(formatCase, "input.bt"), "utf8");
  const expected = readFileSync(join(formatCase, "output.bt"), "utf8");
  const inProject = (sub: string, files: Record<string, string>): string => {
    const dir = join(project, sub);
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  const npxIn = (cwd: string, args: string[]) => spawnSync(npx, ["--no", "--", ...args], { cwd, env, encoding: "utf8" });

  it.each(PACKAGES.map((p) => p.name))("%s: every entry point of the installed manifest is there", (name) => {
    const dir = join(project, "node_modules", name);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    for (const target of manifestTargets(manifest)) expect(existsSync(join(dir, target)), `${name}: ${target}`).toBe(true);
  });

  it("installed only what the tarballs and prettier need: no workspace package from the registry", () => {
    const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
    expect(Object.keys(lock.packages).filter((k) => k.startsWith("node_modules/")).sort()).toEqual([
      "node_modules/@bt/language-server",
      "node_modules/@bt/linter",
      "node_modules/prettier",
      "node_modules/prettier-plugin-bpftrace",
    ]);
  });

  it("prettier --plugin prettier-plugin-bpftrace", () => {
    const dir = inProject("plugin-flag", { "tool.bt": input });
    const r = npxIn(dir, ["prettier", "--plugin", "prettier-plugin-bpftrace", "tool.bt"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(expected);
  });

  it("prettier with the plugin listed in .prettierrc", () => {
    const dir = inProject("prettierrc", { "tool.bt": input, ".prettierrc": JSON.stringify({ plugins: ["prettier-plugin-bpftrace"] }) });
    const r = npxIn(dir, ["prettier", "tool.bt"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(expected);
  });

  it("npx bt-fmt, without and with a .prettierrc (which loads the installed prettier)", () => {
    const plain = inProject("bt-fmt", { "tool.bt": input });
    const r = npxIn(plain, ["bt-fmt", "tool.bt"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(expected);

    const configured = inProject("bt-fmt-config", { "tool.bt": input, ".prettierrc": JSON.stringify({ useTabs: true }) });
    const c = npxIn(configured, ["bt-fmt", "--check", "tool.bt"]);
    expect(c.status).toBe(1);
    const w = npxIn(configured, ["bt-fmt", "--write", "tool.bt"]);
    expect(w.status).toBe(0);
    expect(readFileSync(join(configured, "tool.bt"), "utf8")).toContain("\tprintf(");
  });

  it("the installed bt-fmt does not start from the packing machine's snapshot", () => {
    const dist = join(project, "node_modules/prettier-plugin-bpftrace/dist");
    expect(existsSync(join(dist, "bt-fmt.blob"))).toBe(false);
    expect(existsSync(join(dist, "bt-fmt.blob.node"))).toBe(false);
  });

  it("npx bt-lint reports what the workspace's bt-lint reports", () => {
    const dir = inProject("bt-lint", { "a.bt": lintInput });
    const args = ["--format", "json", "--no-fs", "--target", "0.27", "a.bt"];
    const installed = npxIn(dir, ["bt-lint", ...args]);
    const workspace = spawnSync(process.execPath, [join(root, "packages/linter/bin/bt-lint.js"), ...args], { cwd: dir, env, encoding: "utf8" });
    expect(installed.stderr).toBe("");
    expect(installed.status).toBe(1);
    const findings = JSON.parse(installed.stdout) as { findings: { rule: string }[] }[];
    expect(findings[0].findings.map((f) => f.rule)).toEqual(expect.arrayContaining(["variable-unused", "format-string"]));
    expect(installed.stdout).toBe(workspace.stdout);
  });

  it("bt-lsp --stdio answers initialize and publishes the linter's diagnostics", async () => {
    const dir = inProject("bt-lsp", { "a.bt": lintInput });
    const bin = join(project, "node_modules/.bin/bt-lsp");
    const server = spawnStdioServer([bin, "--stdio"], { target: "0.27" });
    try {
      const init = (await server.connection.sendRequest("initialize", {
        processId: process.pid,
        rootUri: pathToFileURL(dir).href,
        capabilities: { workspace: { configuration: true } },
      })) as { capabilities: Record<string, unknown>; serverInfo?: { name: string } };
      expect(init.capabilities.documentFormattingProvider).toBeTruthy();
      expect(init.capabilities.hoverProvider).toBeTruthy();
      await server.connection.sendNotification("initialized", {});
      const uri = pathToFileURL(join(dir, "a.bt")).href;
      await server.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "bpftrace", version: 1, text: lintInput } });
      const published = await waitFor("diagnostics", () => server.published.find((p) => p.uri === uri));
      expect(published.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(["variable-unused", "format-string"]));
      await server.connection.sendRequest("shutdown");
      await server.connection.sendNotification("exit");
      expect(await server.exited).toBe(0);
      expect(server.stderr()).toBe("");
    } finally {
      server.child.kill();
    }
  });
});
