import { afterEach, describe, expect, it } from "vitest";
import type { ExecFile } from "./bpftrace.ts";
import { CLIENT_CAPABILITIES, startClient, type TestClient } from "./testing/harness.ts";
import { TARGET_NOTIFICATION } from "./protocol.ts";

let client: TestClient | undefined;
afterEach(async () => {
  await client?.shutdown();
  client = undefined;
});

const fakeBpftrace = (version: string, calls: string[] = []): ExecFile => async (file, args) => {
  calls.push([file, ...args].join(" "));
  if (file === "missing") throw Object.assign(new Error("spawn missing ENOENT"), { code: "ENOENT" });
  return `bpftrace v${version}\n`;
};

describe("server", () => {
  it("announces its features", async () => {
    client = await startClient();
    expect(client.initializeResult.serverInfo).toEqual({ name: "bt-lsp", version: "0.1.0" });
    expect(client.initializeResult.capabilities).toEqual({
      textDocumentSync: { openClose: true, change: 2, save: false },
      completionProvider: { triggerCharacters: ["@", "$", ":", ".", ">", "/"], resolveProvider: false },
      hoverProvider: true,
      signatureHelpProvider: { triggerCharacters: ["(", ","], retriggerCharacters: [")"] },
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: true,
      documentHighlightProvider: true,
      documentSymbolProvider: true,
      workspaceSymbolProvider: true,
      foldingRangeProvider: true,
      semanticTokensProvider: {
        legend: {
          tokenTypes: ["namespace", "function", "macro", "variable", "parameter", "property", "type"],
          tokenModifiers: ["declaration", "readonly", "defaultLibrary", "modification", "deprecated"],
        },
        full: true,
        range: true,
      },
      inlayHintProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: ["quickfix", "source.fixAll.bt", "source.rewrite.bt"] },
      executeCommandProvider: { commands: ["bt.attachPoints"] },
      diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false },
    });
  });

  it("tells the client the release it checks against (bt/target), also when it changes", async () => {
    client = await startClient({ settings: { target: "installed", bpftracePath: "/opt/bpftrace" }, exec: fakeBpftrace("0.23.0") });
    const seen: unknown[] = [];
    client.connection.onNotification(TARGET_NOTIFICATION, (p) => void seen.push(p));
    await client.configure({ target: "installed", bpftracePath: "/opt/bpftrace2" });
    await expect.poll(() => seen.at(-1)).toEqual({ release: "0.23", setting: "installed" });
    await client.configure({ target: "0.19" });
    await expect.poll(() => seen.at(-1)).toEqual({ release: "0.19", setting: "0.19" });
  });

  it('bt.target "installed" asks the configured bpftrace for its version', async () => {
    const calls: string[] = [];
    client = await startClient({ settings: { target: "installed", bpftracePath: "/opt/bpftrace" }, exec: fakeBpftrace("0.19.1", calls) });
    expect(client.server.target).toBe("0.19");
    expect(calls).toEqual(["/opt/bpftrace --version"]);
    await expect.poll(() => client!.logs).toContain("[bt] checking against bpftrace 0.19");
    // The parser checks against it: `let` needs 0.22.
    const uri = client.open("let.bt", "BEGIN { let $x = 1; print($x); }");
    expect((await client.diagnostics(uri)).diagnostics.map((d) => [d.code, d.message])).toEqual([["version", "`let` declarations need bpftrace ≥ 0.22; target is 0.19"]]);
  });

  it("a missing bpftrace: one clear message, newest release", async () => {
    client = await startClient({ settings: { target: "installed", bpftracePath: "missing" }, exec: fakeBpftrace("0.20.0") });
    expect(client.server.target).toBe("0.27");
    await expect.poll(() => client!.logs.filter((l) => l.includes("bpftrace"))).toEqual([
      "[bt] bpftrace not found: 'missing' (setting bt.bpftracePath). Version detection is off; checking against bpftrace 0.27. Set bt.target to a release to silence this.",
    ]);
    // Re-reading the same settings does not repeat it.
    await client.configure({ target: "installed", bpftracePath: "missing" });
    await new Promise((r) => setTimeout(r, 50));
    expect(client.logs.filter((l) => l.includes("not found"))).toHaveLength(1);
  });

  it("settings pushed in didChangeConfiguration (clients without workspace/configuration)", async () => {
    client = await startClient({
      capabilities: { ...CLIENT_CAPABILITIES, workspace: {} },
      exec: fakeBpftrace("0.27.0"),
    });
    expect(client.server.target).toBe("0.27");
    await client.connection.sendNotification("workspace/didChangeConfiguration", { settings: { bt: { target: "0.18" } } });
    await expect.poll(() => client!.server.target).toBe("0.18");
  });

  it("settings in initializationOptions", async () => {
    client = await startClient({ capabilities: { ...CLIENT_CAPABILITIES, workspace: {} }, exec: fakeBpftrace("0.27.0") });
    await client.shutdown();
    // Through the harness: initializationOptions are not part of startClient, so send a raw initialize.
    const { PassThrough } = await import("node:stream");
    const { createConnection } = await import("vscode-languageserver/node");
    const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = await import("vscode-jsonrpc/node");
    const { BtLanguageServer } = await import("./server.ts");
    const up = new PassThrough();
    const down = new PassThrough();
    const conn = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
    const server = new BtLanguageServer(conn, { exec: fakeBpftrace("0.27.0") });
    conn.listen();
    const c = createMessageConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
    c.listen();
    await c.sendRequest("initialize", { processId: null, rootUri: null, capabilities: {}, initializationOptions: { bt: { target: "0.20" } } });
    await c.sendNotification("initialized", {});
    await server.ready;
    expect(server.target).toBe("0.20");
    c.dispose();
    conn.dispose();
    client = undefined;
  });

  it("bad settings are logged and replaced by defaults", async () => {
    client = await startClient({ settings: { target: "latest" }, exec: fakeBpftrace("0.25.0") });
    await expect.poll(() => client!.logs).toContain('[bt] bt.target: "latest" is not "installed" or a known release (0.16…0.27); using "installed"');
    expect(client.server.target).toBe("0.25");
  });
});
