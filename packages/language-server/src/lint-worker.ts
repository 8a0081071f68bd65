/**
 * Worker thread entry (bundled next to bt-lsp as lint-worker.js): parses and lints texts sent by
 * BackgroundLinter with the same wiring as the server's own linter (defaults.ts), so a long lint
 * never holds up the server's event loop. On the large stack BackgroundLinter gives it, nesting as
 * deep as bpftrace 0.27 takes is parsed and linted as bt-lint does. A job that asks for the machine is linted against the
 * worker's own (a Machine cannot cross threads); it is created on the first such job.
 */
import { declareLargeStack, parse } from "@bt/parser";
import { createMachine, type Machine } from "@bt/system";
import { parentPort, resourceLimits } from "node:worker_threads";
import { defaultOptions } from "./defaults.ts";
import type { LintJob, LintReply } from "./background-lint.ts";

// BackgroundLinter starts this thread with a large stack: nesting as deep as bpftrace takes parses.
declareLargeStack(resourceLimits.stackSizeMb);
const lint = defaultOptions().lint!;
let machine: Machine | undefined;

parentPort!.on("message", (job: LintJob) => {
  let reply: LintReply;
  try {
    const parsed = parse(job.text, { target: job.options.target });
    const jobMachine = job.options.machine ? (machine ??= createMachine()) : undefined;
    const findings = lint(job.text, { ...job.options, machine: jobMachine }, parsed).findings;
    reply = { id: job.id, findings, parseDiagnostics: parsed.diagnostics, machineProblems: jobMachine?.problems() };
  } catch (error) {
    reply = { id: job.id, error: (error as Error).message };
  }
  parentPort!.postMessage(reply);
});
