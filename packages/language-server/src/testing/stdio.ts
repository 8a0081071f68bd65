import { spawn, type ChildProcess } from "node:child_process";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import type { ConfigurationParams, PublishDiagnosticsParams } from "vscode-languageserver-protocol";

/** A server process spoken to over stdio, the way editors start `bt-lsp --stdio`. */
export interface StdioServer {
  child: ChildProcess;
  connection: MessageConnection;
  published: PublishDiagnosticsParams[];
  logs: string[];
  stderr: () => string;
  exited: Promise<number | null>;
}

export function spawnStdioServer(command: string[], settings: Record<string, unknown> = { target: "0.27" }): StdioServer {
  const child = spawn(command[0], command.slice(1), { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      // Fail pending requests at once instead of letting a test time out on a crashed server.
      setTimeout(() => connection.dispose(), 10);
      resolve(code);
    }),
  );
  const published: PublishDiagnosticsParams[] = [];
  const logs: string[] = [];
  connection.onRequest("workspace/configuration", (p: ConfigurationParams) => p.items.map((i) => (i.section === "bt" ? settings : null)));
  connection.onRequest("client/registerCapability", () => null);
  connection.onNotification("window/logMessage", (p: { message: string }) => void logs.push(p.message));
  connection.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => void published.push(p));
  connection.listen();
  return { child, connection, published, logs, stderr: () => stderr, exited };
}

export async function waitFor<T>(what: string, get: () => T | undefined, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `shutdown` then `exit`, as an editor ends the server; resolves to the exit code. */
export async function shutDown(server: StdioServer): Promise<number | null> {
  await server.connection.sendRequest("shutdown");
  await server.connection.sendNotification("exit");
  return server.exited;
}
