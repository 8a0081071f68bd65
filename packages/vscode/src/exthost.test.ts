import { execFile, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { format } from "prettier-plugin-bpftrace/source";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The extension inside a real VS Code: code-server 4.100.3 (VS Code 1.100.3, a real Node
 * extension host) driven by headless Chromium through /work/shared/clients/vscode. Heavy
 * (install: /work/shared/clients/vscode/get-code-server.sh /opt/code-server), so it skips with
 * a message when code-server or Chromium is missing.
 */

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);
const CODE_SERVER = process.env.BT_CODE_SERVER ?? "/opt/code-server/node_modules/.bin/code-server";
const CLIENTS = "/work/shared/clients/vscode";
const fixture = join(root, "..", "language-server", "fixtures", "sample.bt");

const missing = [
  existsSync(CODE_SERVER) ? undefined : `code-server (${CODE_SERVER}; install with ${CLIENTS}/get-code-server.sh /opt/code-server)`,
  existsSync("/usr/bin/chromium") ? undefined : "chromium (/usr/bin/chromium)",
  existsSync(`${CLIENTS}/vscode-exthost-test.js`) ? undefined : `${CLIENTS}/vscode-exthost-test.js`,
].filter(Boolean);
if (missing.length > 0) console.warn(`SKIPPED VS Code extension-host test: missing ${missing.join(", ")}`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms`);
}

/** code-server on a free loopback port (the config's port may be taken), in its own process group. */
async function startCodeServer(args: string[], servers: ChildProcess[]): Promise<{ base: string; logs: string[] }> {
  const port = await freePort();
  const logs: string[] = [];
  const server = spawn(
    CODE_SERVER,
    ["--config", `${CLIENTS}/code-server-config.yaml`, "--bind-addr", `127.0.0.1:${port}`, "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust", ...args],
    { detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  servers.push(server);
  server.stdout!.on("data", (d) => logs.push(String(d)));
  server.stderr!.on("data", (d) => logs.push(String(d)));
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/healthz`, 60_000);
  return { base, logs };
}

describe.skipIf(missing.length > 0)("VS Code extension host (code-server)", () => {
  const servers: ChildProcess[] = [];
  /** Where the first test installed the packaged extension; the UI test runs that installation. */
  let installed: { work: string; dataDir: string; extDir: string } | undefined;
  afterAll(() => {
    // Started detached in their own process groups: stop exactly those groups.
    for (const server of servers) {
      try {
        if (server.pid) process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  });

  it("the .vsix installs, and the extension works in the real extension host", async () => {
    const work = mkdtempSync(join(tmpdir(), "bt-code-server-"));
    const config = `${CLIENTS}/code-server-config.yaml`;
    const dataDir = join(work, "data");
    const extDir = join(work, "extensions");

    // 1. Package and install the .vsix the way a user would.
    const vsix = join(work, "bt.vsix");
    const vsce = join(dirname(require.resolve("@vscode/vsce/package.json")), "vsce");
    await run(process.execPath, [vsce, "package", "--no-dependencies", "--skip-license", "--no-update-package-json", "-o", vsix], { cwd: root });
    await run(CODE_SERVER, ["--config", config, "--user-data-dir", dataDir, "--extensions-dir", extDir, "--install-extension", vsix]);
    const { stdout: listed } = await run(CODE_SERVER, ["--config", config, "--user-data-dir", dataDir, "--extensions-dir", extDir, "--list-extensions"]);
    expect(listed.split("\n")).toContain("bt-toolkit.bpftrace-bt");
    installed = { work, dataDir, extDir };

    // 2. A workspace: the fixture, the formatter's expected output, a quick-fix case, a shebang script.
    const folder = join(work, "workspace");
    mkdirSync(join(folder, ".vscode"), { recursive: true });
    copyFileSync(fixture, join(folder, "sample.bt"));
    const fixtureText = readFileSync(fixture, "utf8");
    writeFileSync(join(folder, "expected-formatted.bt"), await format(fixtureText, { tabWidth: 2, useTabs: false }));
    writeFileSync(join(folder, "fix.bt"), "BEGIN { @m[1] = 1; delete(@m[1]); }\n");
    writeFileSync(join(folder, "script"), "#!/usr/bin/env bpftrace\nBEGIN { exit(); }\n");
    writeFileSync(
      join(folder, "features.bt"),
      [
        "macro twice($x) { $x * 2 }",
        'uprobe:/bin/app:cpp:"Widget::draw"',
        "{",
        "  @w[arg0] = lhist(twice(1), 0, 100, 10);",
        "  $tmp = 1;",
        "  print(1);",
        "}",
        "tracepoint:syscalls:sys_enter_openat {",
        "  @t = count(); ",
        "}",
        "",
      ].join("\n"),
    );
    writeFileSync(join(folder, "target.bt"), "BEGIN { let $x = 1; print($x); }\n");
    writeFileSync(join(folder, ".vscode", "settings.json"), JSON.stringify({ "bt.target": "0.27" }));

    // 3. code-server for the extension under development.
    const { base, logs } = await startCodeServer(["--user-data-dir", join(work, "dev-data"), "--extensions-dir", join(work, "dev-ext"), folder], servers);

    // 4. The extension under development (out/ was built by vsce's prepublish) plus suite.cjs.
    const result = await run(process.execPath, [`${CLIENTS}/vscode-exthost-test.js`, root.replace(/\/$/, ""), join(root, "test", "exthost", "suite.cjs"), folder], {
      env: { ...process.env, CS_BASE: base, NODE_PATH: join(root, "..", "..", "node_modules"), TEST_TIMEOUT_MS: "120000" },
      timeout: 180_000,
    }).catch((e: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`extension-host tests failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}\ncode-server:\n${logs.join("")}`);
    });
    console.log(result.stdout.split("\n").filter((l) => /EXTENSION-HOST TESTS PASSED|exit=/.test(l)).join("\n"));
    expect(result.stdout).toContain("EXTENSION-HOST TESTS PASSED");
    expect(result.stdout).toMatch(/exit=0 /);
  }, 300_000);

  it("the installed extension in the browser: problems, status bar, hover, format on save, completion (screenshot)", async () => {
    expect(installed, "the .vsix was installed by the previous test").toBeDefined();
    const { work, dataDir, extDir } = installed!;
    const folder = join(work, "ui-workspace");
    mkdirSync(join(folder, ".vscode"), { recursive: true });
    copyFileSync(fixture, join(folder, "sample.bt"));
    writeFileSync(join(folder, "expected-formatted.bt"), await format(readFileSync(fixture, "utf8"), { tabWidth: 4, useTabs: false }));
    writeFileSync(join(folder, ".vscode", "settings.json"), JSON.stringify({ "bt.target": "0.27", "editor.tabSize": 4, "editor.insertSpaces": true, "editor.detectIndentation": false }));
    const { base, logs } = await startCodeServer(["--user-data-dir", dataDir, "--extensions-dir", extDir, folder], servers);

    const screenshot = join(work, "vscode-ui.png");
    const result = await run(process.execPath, [join(root, "test", "ui", "e2e.cjs")], {
      env: { ...process.env, CS_URL: base, CS_FOLDER: folder, CS_SCREENSHOT: screenshot, NODE_PATH: join(root, "..", "..", "node_modules") },
      timeout: 240_000,
    }).catch((e: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`UI run failed (screenshot: ${screenshot}): ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}\ncode-server:\n${logs.join("")}`);
    });
    const report = JSON.parse(result.stdout.trim().split("\n").pop()!);
    console.log(`VS Code UI run (screenshot ${screenshot}): ${JSON.stringify(report)}`);
    expect(report.errors).toEqual([]);
    expect(report.problems).toContain("`$t0` is assigned but never read.");
    expect(report.statusBar).toContain("bpftrace 0.27");
    expect(report.hover).toContain("nsecs");
    expect(report.completion).toContain("nsecs");
    // A real picture of the workbench, not an empty page: a PNG of some size.
    const png = readFileSync(screenshot);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(png.length).toBeGreaterThan(20_000);
  }, 300_000);
});
