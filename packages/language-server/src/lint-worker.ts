/**
 * Lint worker entry (bundled next to bt-lsp as lint-worker.js). As a worker thread it parses and
 * lints texts sent by BackgroundLinter with the same wiring as the server's own linter
 * (defaults.ts), so a long lint never holds up the server's event loop. On the large stack
 * BackgroundLinter gives it, nesting as deep as bpftrace 0.27 takes is parsed and linted as
 * bt-lint does. A job that asks for the machine is linted against the worker's own (a Machine
 * cannot cross threads); it is created on the first such job.
 *
 * As a child process (BackgroundLinter forks it for a huge text) it takes one job, lints it in a
 * worker thread of this same script (the main thread's stack cannot be made large enough), sends
 * the reply and exits, so all the memory of that lint goes back to the system.
 */
import { declareLargeStack, LARGE_STACK_MB, parse } from "@bt/parser";
import { createMachine, type Machine } from "@bt/system";
import { isMainThread, parentPort, resourceLimits, Worker } from "node:worker_threads";
import { defaultOptions } from "./defaults.ts";
import type { LintJob, LintReply } from "./background-lint.ts";

if (isMainThread) lintOneJobAndExit();
else serveJobs();

function serveJobs(): void {
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
}

function lintOneJobAndExit(): void {
  if (!process.send) {
    process.stderr.write("lint-worker: started by bt-lsp only (as a worker thread or a child process with an IPC channel)\n");
    process.exitCode = 2;
    return;
  }
  // The server gone (its end of the channel closed): nobody waits for this lint.
  process.once("disconnect", () => process.exit(0));
  process.once("message", (job: LintJob) => {
    const worker = new Worker(process.argv[1], { resourceLimits: { stackSizeMb: LARGE_STACK_MB } });
    let replied = false;
    const done = (reply: LintReply) => {
      if (replied) return;
      replied = true;
      process.send!(reply, () => process.exit(0));
    };
    worker.once("message", done);
    worker.once("error", (error) => done({ id: job.id, error: error.message }));
    worker.once("exit", (code) => done({ id: job.id, error: `lint worker exited with code ${code}` }));
    worker.postMessage(job);
  });
}
