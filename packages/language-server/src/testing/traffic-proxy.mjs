// Sits between an editor and a language server over stdio and records every JSON-RPC message's
// direction, method and (for diagnostics) uri/version in TRAFFIC_LOG, one JSON object a line, so
// editor tests can tell pull from push diagnostics and count publishes.
//   node traffic-proxy.mjs <server command...>   (TRAFFIC_LOG=/path/to/log)
import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";

const log = process.env.TRAFFIC_LOG;
const [command, ...args] = process.argv.slice(2);
const server = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });

function recorder(direction) {
  let buffer = Buffer.alloc(0);
  return (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf("\r\n\r\n");
      if (headerEnd === -1) return;
      const length = Number(/Content-Length:\s*(\d+)/i.exec(buffer.subarray(0, headerEnd).toString("ascii"))?.[1]);
      if (buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8"));
      buffer = buffer.subarray(headerEnd + 4 + length);
      const entry = { direction, method: message.method ?? null, id: message.id ?? null };
      if (message.method === "textDocument/publishDiagnostics") Object.assign(entry, { uri: message.params.uri, version: message.params.version ?? null });
      if (log) appendFileSync(log, `${JSON.stringify(entry)}\n`);
    }
  };
}

const toServer = recorder("client→server");
const toClient = recorder("server→client");
process.stdin.on("data", (chunk) => {
  toServer(chunk);
  server.stdin.write(chunk);
});
process.stdin.on("end", () => server.stdin.end());
server.stdout.on("data", (chunk) => {
  toClient(chunk);
  process.stdout.write(chunk);
});
server.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
