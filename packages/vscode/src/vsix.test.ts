import { execFile } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { spawnStdioServer, waitFor } from "../../language-server/src/testing/stdio.ts";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);

describe("packaging", () => {
  const out = mkdtempSync(join(tmpdir(), "bt-vsix-"));
  const vsix = join(out, "bt.vsix");

  it("vsce package (offline, --no-dependencies) produces a .vsix with the bundles, grammar and manifest", async () => {
    const vsce = join(dirname(require.resolve("@vscode/vsce/package.json")), "vsce");
    // vsce runs `vscode:prepublish` (the production esbuild bundle) itself.
    await run(process.execPath, [vsce, "package", "--no-dependencies", "--skip-license", "--no-update-package-json", "-o", vsix], { cwd: root });
    expect(existsSync(vsix)).toBe(true);
    const { stdout } = await run("unzip", ["-Z1", vsix]).catch(() => ({ stdout: "" }));
    if (stdout === "") {
      console.warn("SKIPPED content check: `unzip` is not installed");
      return;
    }
    const files = stdout.trim().split("\n").sort();
    expect(files).toEqual(
      [
        "[Content_Types].xml",
        "extension.vsixmanifest",
        "extension/language-configuration.json",
        "extension/out/bt-run.cjs",
        "extension/out/extension.cjs",
        "extension/out/lint-worker.cjs",
        "extension/out/server.cjs",
        "extension/package.json",
        "extension/readme.md",
        "extension/syntaxes/bpftrace.tmLanguage.json",
      ].sort(),
    );
  });

  it("the bundled CommonJS server (out/server.cjs) answers initialize and publishes diagnostics over stdio", async () => {
    const bundle = join(root, "out", "server.cjs");
    expect(existsSync(bundle), "out/server.cjs is built by the previous test").toBe(true);
    const server = spawnStdioServer([process.execPath, bundle, "--stdio"]);
    try {
      const init = (await server.connection.sendRequest("initialize", {
        processId: process.pid,
        rootUri: null,
        capabilities: { workspace: { configuration: true } },
      })) as { capabilities: Record<string, unknown>; serverInfo: { name: string } };
      expect(init.serverInfo.name).toBe("bt-lsp");
      expect(init.capabilities.hoverProvider).toBe(true);
      await server.connection.sendNotification("initialized", {});
      const uri = pathToFileURL(join(out, "broken.bt")).href;
      await server.connection.sendNotification("textDocument/didOpen", {
        textDocument: { uri, languageId: "bpftrace", version: 1, text: "BEGIN { @x = ; }\n" },
      });
      const published = await waitFor("diagnostics", () => server.published.find((p) => p.uri === uri));
      expect(published.diagnostics.length).toBeGreaterThan(0);
      expect(published.diagnostics[0]).toMatchObject({ source: "bt", severity: 1, range: { start: { line: 0 } } });
      await server.connection.sendRequest("shutdown");
      await server.connection.sendNotification("exit");
      expect(await server.exited).toBe(0);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nserver stderr:\n${server.stderr()}`);
    } finally {
      server.child.kill();
    }
  });
});
