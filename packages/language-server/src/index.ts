import type { Connection } from "vscode-languageserver";
import { defaultOptions } from "./defaults.ts";
import { BtLanguageServer, type ServerOptions } from "./server.ts";

export { BtLanguageServer, startServer, SERVER_NAME, SERVER_VERSION, type Feature, type ServerOptions } from "./server.ts";
export { DEFAULT_SETTINGS, SETTINGS_SCHEMA, SETTINGS_SECTION, readSettings, type Settings } from "./settings.ts";
export { Bpftrace, parseVersionOutput, type BpftraceVersion, type ExecFile } from "./bpftrace.ts";
export { defaultOptions } from "./defaults.ts";
export type { FormatFunction, LintFunction, LintFinding } from "./tools.ts";

/** A server wired to the real linter and formatter, listening on `connection`. */
export function createServer(connection: Connection, options: ServerOptions = defaultOptions()): BtLanguageServer {
  const server = new BtLanguageServer(connection, options);
  connection.listen();
  return server;
}
export { ATTACH_POINTS_COMMAND, TARGET_NOTIFICATION, type AttachPointInfo, type TargetNotification } from "./protocol.ts";
