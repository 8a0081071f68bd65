/**
 * Worker thread entry (bundled next to bt-lsp as lint-worker.js): parses and lints texts sent by
 * BackgroundLinter with the same wiring as the server's own linter (defaults.ts), so a long lint
 * never holds up the server's event loop.
 */
import { parse } from "@bt/parser";
import { parentPort } from "node:worker_threads";
import { defaultOptions } from "./defaults.ts";
import type { LintJob, LintReply } from "./background-lint.ts";

const lint = defaultOptions().lint!;

parentPort!.on("message", (job: LintJob) => {
  let reply: LintReply;
  try {
    const parsed = parse(job.text, { target: job.options.target });
    reply = { id: job.id, findings: lint(job.text, job.options, parsed).findings, parseDiagnostics: parsed.diagnostics };
  } catch (error) {
    reply = { id: job.id, error: (error as Error).message };
  }
  parentPort!.postMessage(reply);
});
