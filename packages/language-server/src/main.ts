import { createMachine } from "@bt/system";
import { ProposedFeatures, createConnection } from "vscode-languageserver/node";
import { BackgroundLinter } from "./background-lint.ts";
import { defaultOptions } from "./defaults.ts";
import { createServer } from "./index.ts";
import { keepYoungGenerationSmall } from "./release-memory.ts";
import { SERVER_NAME, SERVER_VERSION } from "./server.ts";

/**
 * `bt-lsp --stdio` (also `--node-ipc`, `--socket=PORT`, `--pipe=NAME`, as vscode-languageserver
 * reads them from argv; `--no-machine`: never read this machine). Everything the server prints
 * goes through the connection; stdout belongs to the protocol.
 */
const args = process.argv.slice(2);
if (args.includes("--version") || args.includes("-v")) {
  process.stdout.write(`${SERVER_NAME} ${SERVER_VERSION}\n`);
} else if (!args.some((a) => /^--(stdio|node-ipc|socket|pipe)\b/.test(a))) {
  process.stderr.write(
    `usage: ${SERVER_NAME} --stdio\n\nThe bpftrace language server speaks LSP on stdin/stdout (--stdio), over Node IPC (--node-ipc),\na socket (--socket=PORT) or a pipe (--pipe=NAME). Editors start it for you; see packages/vscode.\n`,
  );
  process.exitCode = args.includes("--help") || args.includes("-h") ? 0 : 2;
} else {
  // Until a big text is opened (documents.ts lets it grow then).
  keepYoungGenerationSmall();
  // Diagnostics lint in a worker when the bundle has one next to it (dist/lint-worker.js).
  const backgroundLint = BackgroundLinter.nextTo(import.meta.url);
  // This machine (BTF, tracefs, binaries) for local files; read on the first question, never at
  // start. `--no-machine` turns it off whatever `bt.machine` says (clients without settings).
  const machine = args.includes("--no-machine") ? {} : { machine: () => createMachine() };
  createServer(createConnection(ProposedFeatures.all), { ...defaultOptions(), ...machine, ...(backgroundLint ? { backgroundLint } : {}) });
}
