import type { ExecuteCommandParams, ServerCapabilities } from "vscode-languageserver";
import { ATTACH_POINTS_COMMAND, type AttachPointInfo } from "../protocol.ts";
import { toLspRange } from "../positions.ts";
import type { BtLanguageServer } from "../server.ts";

/**
 * `workspace/executeCommand` `bt.attachPoints` with a document URI: every attach point of the
 * script in source order, with its canonical provider and range. Editors list them (the VS Code
 * extension's "Show attach points" picks one to jump to).
 */

export function capabilities(): ServerCapabilities {
  return { executeCommandProvider: { commands: [ATTACH_POINTS_COMMAND] } };
}

export function register(server: BtLanguageServer): void {
  server.connection.onExecuteCommand((params) => executeCommand(server, params));
}

export function executeCommand(server: BtLanguageServer, params: ExecuteCommandParams): AttachPointInfo[] | null {
  if (params.command !== ATTACH_POINTS_COMMAND) return null;
  const uri = params.arguments?.[0];
  const analysis = typeof uri === "string" ? server.analysis(uri) : undefined;
  if (!analysis) return null;
  const out: AttachPointInfo[] = [];
  let probe = 0;
  for (const item of analysis.parsed.ast.body) {
    if (item.type !== "Probe") continue;
    for (const ap of item.attachPoints) {
      out.push({ text: ap.raw, provider: ap.providerCanonical ?? null, range: toLspRange(analysis.document, ap.range), probe });
    }
    probe++;
  }
  return out;
}
