import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { lintText } from "@bt/linter";
import { BPFTRACE_NESTING, NESTING_SHAPES, type NestingConstruct } from "@bt/parser";
import { format } from "prettier-plugin-bpftrace/source";
import { beforeAll, describe, expect, it } from "vitest";
import { shutDown, spawnStdioServer, waitFor } from "./testing/stdio.ts";

/**
 * The built bundle (dist/bt-lsp.js through the bin shim), driven over stdio by our own client
 * and by a real editor: headless Neovim running /work/shared/clients/nvim/lsp_probe.lua.
 */

const run = promisify(execFile);
const pkg = fileURLToPath(new URL("..", import.meta.url));
const bin = join(pkg, "bin", "bt-lsp.js");
const fixture = join(pkg, "fixtures", "sample.bt");
const fixtureText = readFileSync(fixture, "utf8");
const PROBE = "/work/shared/clients/nvim/lsp_probe.lua";
const PROXY = join(pkg, "src", "testing", "traffic-proxy.mjs");

/** The messages a traffic-proxy.mjs run recorded. */
function traffic(log: string): { direction: string; method: string | null; uri?: string; version?: number | null }[] {
  return readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line));
}

beforeAll(async () => {
  await run(process.execPath, [join(pkg, "scripts", "build.mjs")]);
}, 60_000);

describe("bt-lsp bundle", () => {
  it("--version, and a usage message without a transport", async () => {
    expect((await run(process.execPath, [bin, "--version"])).stdout).toBe("bt-lsp 0.1.0\n");
    const bare = spawnSync(process.execPath, [bin], { encoding: "utf8" });
    expect(bare.status).toBe(2);
    expect(bare.stderr.split("\n")[0]).toBe("usage: bt-lsp --stdio");
    expect(bare.stdout).toBe("");
  });

  it("--stdio: initialize, diagnostics, hover, shutdown/exit with code 0", async () => {
    const server = spawnStdioServer([process.execPath, bin, "--stdio"], { target: "0.27", machine: false });
    try {
      await server.connection.sendRequest("initialize", { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
      await server.connection.sendNotification("initialized", {});
      const uri = pathToFileURL(fixture).href;
      await server.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "bpftrace", version: 1, text: fixtureText } });
      const published = await waitFor("diagnostics", () => server.published.find((p) => p.uri === uri));
      expect(published.diagnostics.map((d) => d.code)).toEqual(lintText(fixtureText, { target: "0.27" }).findings.map((f) => f.ruleId));
      const hover = (await server.connection.sendRequest("textDocument/hover", { textDocument: { uri }, position: { line: 13, character: 18 } })) as {
        contents: { value: string };
      };
      expect(hover.contents.value.split("\n")[1]).toBe("nsecs: timestamp");
      // The bundle has its worker (dist/lint-worker.js) for big files; this small one was linted on the server's thread.
      expect(server.logs).toContain("[bt] linting in a worker thread");
      expect(await shutDown(server)).toBe(0);
      expect(server.stderr()).toBe("");
    } finally {
      server.child.kill();
    }
  });
});

describe("bt-lsp bundle: deep nesting", () => {
  const btLint = join(pkg, "..", "linter", "bin", "bt-lint.js");

  /** bt-lint's findings for `text` as LSP ranges, codes and messages. */
  async function btLintFindings(text: string) {
    const dir = mkdtempSync(join(tmpdir(), "bt-lsp-deep-"));
    const file = join(dir, "deep.bt");
    writeFileSync(file, text);
    const { stdout } = await run(process.execPath, [btLint, "-t", "0.27", "-f", "json", file], { maxBuffer: 256 * 1024 * 1024 }).catch((e: { stdout: string }) => e);
    const [report] = JSON.parse(stdout) as { findings: { rule: string; message: string; line: number; column: number; endLine: number; endColumn: number }[] }[];
    return report.findings.map((f) => ({
      code: f.rule,
      message: f.message,
      range: { start: { line: f.line - 1, character: f.column - 1 }, end: { line: f.endLine - 1, character: f.endColumn - 1 } },
    }));
  }

  /** Initializes a client that pulls diagnostics. */
  async function initializeForPull(server: ReturnType<typeof spawnStdioServer>) {
    await server.connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true }, textDocument: { diagnostic: { dynamicRegistration: false } } },
    });
    await server.connection.sendNotification("initialized", {});
  }

  it("diagnostics take each construct as deep as bpftrace 0.27 does, like bt-lint; one level deeper is the same error; requests still answer", async () => {
    const server = spawnStdioServer([process.execPath, bin, "--stdio"], { target: "0.27", machine: false });
    try {
      await initializeForPull(server);
      for (const [construct, shape] of Object.entries(NESTING_SHAPES)) {
        for (const depth of [BPFTRACE_NESTING[construct as NestingConstruct], BPFTRACE_NESTING[construct as NestingConstruct] + 1]) {
          const text = shape(depth);
          const uri = `file:///work/test/deep-${construct.replace(/ /g, "-")}-${depth}.bt`;
          await server.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "bpftrace", version: 1, text } });
          const report = (await server.connection.sendRequest("textDocument/diagnostic", { textDocument: { uri } })) as { items: { code: string; message: string; range: unknown }[] };
          expect(report.items.map((d) => ({ code: d.code, message: d.message, range: d.range })), `${construct} × ${depth}`).toEqual(await btLintFindings(text));
          // The server's own thread keeps Node's default stack: its features answer from the part it parsed.
          const position = { line: 0, character: 10 };
          await server.connection.sendRequest("textDocument/hover", { textDocument: { uri }, position });
          await server.connection.sendRequest("textDocument/completion", { textDocument: { uri }, position });
          await server.connection.sendRequest("textDocument/formatting", { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
          await server.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
        }
      }
      expect(await shutDown(server)).toBe(0);
      expect(server.stderr()).toBe("");
    } finally {
      server.child.kill();
    }
  }, 300_000);

  it("a huge file (2 MB) is linted in a process of its own, on the same large stack: as deep as bpftrace takes, the same diagnostics as bt-lint", async () => {
    const server = spawnStdioServer([process.execPath, bin, "--stdio"], { target: "0.27", machine: false });
    try {
      await initializeForPull(server);
      const [construct, shape] = Object.entries(NESTING_SHAPES)[0];
      const text = `${fixtureText}\n${shape(BPFTRACE_NESTING[construct as NestingConstruct])}\n// ${"x".repeat(2 * 1024 * 1024)}\n`;
      const uri = "file:///work/test/huge.bt";
      await server.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "bpftrace", version: 1, text } });
      const report = (await server.connection.sendRequest("textDocument/diagnostic", { textDocument: { uri } })) as { items: { code: string; message: string; range: unknown }[] };
      const expected = await btLintFindings(text);
      expect(expected.length).toBeGreaterThan(1);
      expect(report.items.map((d) => ({ code: d.code, message: d.message, range: d.range }))).toEqual(expected);
      expect(await shutDown(server)).toBe(0);
      expect(server.stderr()).toBe("");
    } finally {
      server.child.kill();
    }
  }, 120_000);
});

/** Debian's nvim (0.7, push diagnostics) and, if fetched with get-nvim-sid.sh, nvim 0.12. */
const NVIMS = ["nvim", "/opt/nvim-sid/nvim"]
  .map((cmd) => ({ cmd, version: spawnSync(cmd, ["--version"], { encoding: "utf8" }) }))
  .filter((n) => n.version.status === 0)
  .map((n) => ({ cmd: n.cmd, name: n.version.stdout.split("\n")[0] }));
if (NVIMS.length === 0) console.warn("SKIPPED Neovim editor test: `nvim` is not installed (apt-get install -y --no-install-recommends neovim)");

describe.skipIf(NVIMS.length === 0)("real editor: Neovim + lsp_probe.lua", () => {
  it.each(NVIMS)("$name: diagnostics (pull from 0.11 on, else pushed once), hover, completion and formatting of fixtures/sample.bt", async ({ cmd, name }) => {
    const dir = mkdtempSync(join(tmpdir(), "bt-nvim-"));
    const out = join(dir, "probe.json");
    const log = join(dir, "traffic.jsonl");
    const result = spawnSync("timeout", ["60", cmd, "--headless", "--clean", "-n", "-c", `luafile ${PROBE}`], {
      encoding: "utf8",
      env: {
        ...process.env,
        TRAFFIC_LOG: log,
        LSP_CMD: JSON.stringify([process.execPath, PROXY, process.execPath, bin, "--stdio"]),
        LSP_FILE: fixture,
        LSP_FILETYPE: "bpftrace",
        LSP_OUT: out,
        LSP_SETTINGS: JSON.stringify({ bt: { target: "0.27", machine: false } }),
        LSP_HOVER: "13:18", // nsecs
        LSP_COMPLETE: "19:17", // `let $delta = n|`
        LSP_MIN_DIAGS: "1",
      },
    });
    const probe = JSON.parse(readFileSync(out, "utf8"));
    expect(probe.errors, result.stdout + result.stderr).toEqual([]);
    expect(result.status).toBe(0);
    expect(probe.ok).toBe(true);

    // Diagnostics: exactly the linter's findings, as Neovim stores them (0-based).
    const expected = lintText(fixtureText, { target: "0.27" }).findings.map((f) => ({
      lnum: f.range.start.line - 1,
      col: f.range.start.column - 1,
      severity: { error: 1, warning: 2, info: 3 }[f.severity],
      message: f.message,
      source: "bt",
    }));
    expect(expected.length).toBeGreaterThan(0);
    expect(probe.diagnostics).toEqual(expected);
    expect(probe.diagnostics[0]).toMatchObject({ lnum: 14, col: 2, severity: 2 });

    // How they came: Neovim ≥ 0.11 pulls (and the server then pushes nothing); 0.7 gets one push per version.
    const messages = traffic(log);
    const pulls = messages.filter((m) => m.method === "textDocument/diagnostic" && m.direction === "client→server");
    const pushes = messages.filter((m) => m.method === "textDocument/publishDiagnostics" && m.uri === pathToFileURL(fixture).href);
    const [major, minor] = name.replace(/^NVIM v/, "").split(".").map(Number);
    if (major > 0 || minor >= 11) {
      expect(probe.server_capabilities.diagnosticProvider).toBeDefined();
      expect(pulls.length).toBeGreaterThan(0);
      expect(pushes).toEqual([]);
    } else {
      expect(pulls).toEqual([]);
      expect(pushes.filter((p) => p.version === pushes[0].version), JSON.stringify(pushes)).toHaveLength(1);
    }

    expect(probe.hover.contents.kind).toBe("markdown");
    expect(probe.hover.contents.value.split("\n")[1]).toBe("nsecs: timestamp");
    expect(probe.hover.range).toEqual({ start: { line: 13, character: 16 }, end: { line: 13, character: 21 } });

    expect(probe.completion_labels).toEqual(expect.arrayContaining(["nsecs", "printf", "double", "if"]));
    expect(probe.completion_labels).not.toContain("kprobe");

    // Formatting: the edits Neovim applied give exactly the formatter's output.
    const formatted = await format(fixtureText, { filepath: fixture, tabWidth: 2, useTabs: false });
    expect(probe.formatted_text + "\n").toBe(formatted);
  });
});

const emacs = spawnSync("emacs", ["--version"], { encoding: "utf8" });
const EGLOT_PROBE = "/work/shared/clients/emacs/eglot-probe.el";
const hasEmacs = emacs.status === 0;
if (!hasEmacs) console.warn("SKIPPED Emacs/eglot editor test: `emacs` is not installed (apt-get install -y emacs-nox elpa-eglot)");

describe.skipIf(!hasEmacs)(`real editor: ${hasEmacs ? emacs.stdout.split("\n")[0] : "emacs"} + eglot-probe.el`, () => {
  it("diagnostics (flymake), plain-text hover, completion-at-point and eglot-format-buffer", async () => {
    // Outside any git repository: eglot manages a buffer only when project.el's project for it
    // is the probe's transient one, and /work/main is a git checkout.
    const dir = mkdtempSync(join(tmpdir(), "bt-eglot-"));
    const file = join(dir, "sample.bt");
    writeFileSync(file, fixtureText);
    const out = join(dir, "probe.json");
    const log = join(dir, "traffic.jsonl");
    const result = spawnSync("timeout", ["60", "emacs", "--batch", "-l", EGLOT_PROBE], {
      encoding: "utf8",
      cwd: dir,
      env: {
        ...process.env,
        TRAFFIC_LOG: log,
        LSP_CMD: JSON.stringify([process.execPath, PROXY, process.execPath, bin, "--stdio", "--no-machine"]),
        LSP_FILE: file,
        LSP_LANGUAGE_ID: "bpftrace",
        LSP_OUT: out,
        LSP_SETTINGS: JSON.stringify({ bt: { target: "0.27" } }),
        LSP_HOVER: "13:18",
        LSP_COMPLETE: "19:17",
        LSP_MIN_DIAGS: "1",
      },
    });
    const probe = JSON.parse(readFileSync(out, "utf8"));
    expect(probe.errors ?? [], result.stdout + result.stderr).toEqual([]);
    expect(probe.ok).toBe(true);

    const type = { error: "eglot-error", warning: "eglot-warning", info: "eglot-note" } as const;
    const expected = lintText(fixtureText, { target: "0.27" }).findings.map((f) => ({
      line: f.range.start.line - 1,
      type: type[f.severity],
      message: `bt [${f.ruleId}]: ${f.message}`,
    }));
    // flymake keeps its own order among diagnostics it stores.
    const byPlace = (a: { line: number; message: string }, b: { line: number; message: string }) => a.line - b.line || a.message.localeCompare(b.message);
    expect([...probe.diagnostics].sort(byPlace)).toEqual([...expected].sort(byPlace));
    // eglot does not pull: one push for the opened version.
    const pushes = traffic(log).filter((m) => m.method === "textDocument/publishDiagnostics" && m.uri === pathToFileURL(file).href);
    expect(pushes.filter((p) => p.version === pushes[0].version), JSON.stringify(pushes)).toHaveLength(1);

    // eglot 1.9 accepts only plain text for hovers.
    expect(probe.hover.contents.kind).toBe("plaintext");
    expect(probe.hover.contents.value.split("\n")[0]).toBe("nsecs: timestamp");
    expect(probe.completion_labels).toEqual(expect.arrayContaining(["nsecs", "printf", "double"]));
    // Emacs formats with its own buffer settings: tabs, tab-width 8.
    expect(probe.formatted_text).toBe(await format(fixtureText, { filepath: file, tabWidth: 8, useTabs: true }));
  });
});
