import { PassThrough } from "node:stream";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from "vscode-jsonrpc/node";
import type {
  ClientCapabilities,
  ConfigurationParams,
  InitializeResult,
  PublishDiagnosticsParams,
} from "vscode-languageserver-protocol";
import { createConnection } from "vscode-languageserver/node";
import { BtLanguageServer, type ServerOptions } from "../server.ts";

/**
 * An LSP client talking to an in-process server over in-memory streams: the real protocol
 * (JSON-RPC framing, request/notification flow), no child process.
 */

export const CLIENT_CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true },
    completion: { completionItem: { snippetSupport: false, documentationFormat: ["markdown", "plaintext"], tagSupport: { valueSet: [1] } } },
    hover: { contentFormat: ["markdown", "plaintext"] },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix", "source.fixAll"] } } },
  },
};

export interface TestClientOptions extends ServerOptions {
  /** What the client answers for the `bt` configuration section. */
  settings?: Record<string, unknown>;
  capabilities?: ClientCapabilities;
  /**
   * Wait until the server has its settings before returning (default). Real clients do not:
   * they open documents right after `initialized`.
   */
  awaitReady?: boolean;
  /** File-system paths sent as the workspace folders (default: none, as a client opening single files). */
  workspaceFolders?: string[];
}

export class TestClient {
  readonly logs: string[] = [];
  readonly published: PublishDiagnosticsParams[] = [];
  settings: Record<string, unknown>;
  initializeResult!: InitializeResult;
  private waiters: (() => void)[] = [];
  private versions = new Map<string, number>();

  constructor(
    readonly connection: MessageConnection,
    readonly server: BtLanguageServer,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
  }

  /** Open a document; returns its URI. */
  open(name: string, text: string): string {
    const uri = name.includes(":") ? name : `file:///work/test/${name}`;
    this.versions.set(uri, 1);
    void this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "bpftrace", version: 1, text } });
    return uri;
  }

  /** Replace the whole text of an open document. */
  change(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  close(uri: string): void {
    void this.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
  }

  /** Wait for the first diagnostics published for `uri` (at `version` if given). */
  async diagnostics(uri: string, version?: number, timeoutMs = 5000): Promise<PublishDiagnosticsParams> {
    const match = () => [...this.published].reverse().find((p) => p.uri === uri && (version === undefined || p.version === version));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = match();
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri}${version !== undefined ? ` v${version}` : ""} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** Change the `bt` settings and notify the server the way VS Code does (it then pulls them). */
  async configure(settings: Record<string, unknown>): Promise<void> {
    this.settings = { diagnosticsDelayMs: 20, ...settings };
    await this.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
  }

  notifyPublished(params: PublishDiagnosticsParams): void {
    this.published.push(params);
    for (const w of this.waiters.splice(0)) w();
  }

  /**
   * `shutdown`, then drop the connection. No `exit`: vscode-languageserver answers it with
   * process.exit(), which would end the test worker (the stdio tests cover `exit`).
   */
  async shutdown(): Promise<void> {
    await this.connection.sendRequest("shutdown");
    this.connection.dispose();
    this.server.connection.dispose();
  }
}

export async function startClient(options: TestClientOptions = {}): Promise<TestClient> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  const { settings: given = { target: "0.27" }, capabilities = CLIENT_CAPABILITIES, awaitReady = true, workspaceFolders, ...serverOptions } = options;
  const settings = { diagnosticsDelayMs: 20, ...given };
  const server = new BtLanguageServer(serverConnection, serverOptions);
  serverConnection.listen();

  const connection = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const client = new TestClient(connection, server, settings);
  connection.onRequest("workspace/configuration", (params: ConfigurationParams) =>
    params.items.map((item) => (item.section === "bt" ? client.settings : null)),
  );
  connection.onRequest("client/registerCapability", () => null);
  connection.onNotification("window/logMessage", (p: { message: string }) => void client.logs.push(p.message));
  connection.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => client.notifyPublished(p));
  connection.listen();

  client.initializeResult = await connection.sendRequest("initialize", {
    processId: null,
    rootUri: null,
    capabilities,
    workspaceFolders: workspaceFolders?.map((path) => ({ uri: pathToFileURL(path).href, name: basename(path) })) ?? null,
  });
  await connection.sendNotification("initialized", {});
  if (awaitReady) await server.ready;
  return client;
}

/**
 * Cursor markers: `<|>` marks a position. Returns the text without markers and the 0-based
 * line/character of each marker in order.
 */
export function markers(marked: string): { text: string; positions: { line: number; character: number }[] } {
  const positions: { line: number; character: number }[] = [];
  let text = "";
  const parts = marked.split("<|>");
  parts.forEach((part, i) => {
    text += part;
    if (i < parts.length - 1) {
      const lines = text.split("\n");
      positions.push({ line: lines.length - 1, character: lines[lines.length - 1].length });
    }
  });
  return { text, positions };
}
