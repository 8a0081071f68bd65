import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { LARGE_STACK_MB, type Diagnostic } from "@bt/parser";
import { collectGarbage } from "./release-memory.ts";
import type { LintFinding } from "./tools.ts";

/** The findings, and the diagnostics of the worker's own full parse of the text. */
export interface BackgroundLintResult {
  findings: LintFinding[];
  parseDiagnostics: Diagnostic[];
  /** What the worker's machine could not tell (partial lists, missing tools), when one was used. */
  machineProblems?: string[];
}

/** The linter's options as a message: `machine: true` lints against the worker's own machine. */
export interface BackgroundLintOptions {
  target: string;
  filePath?: string;
  machine?: boolean;
}

/** A linter in another thread: resolves to the findings, rejects with the linter's error or StaleLint. */
export interface BackgroundLint {
  lint(key: string, text: string, options: BackgroundLintOptions): Promise<BackgroundLintResult>;
  dispose(): void;
}

/**
 * Texts from this size on are linted in a child process of their own, which exits after the job.
 * Their lint grows the linting thread's memory by hundreds of MB; a worker thread that ends gives
 * its V8 heap back but not all of its malloc arenas (~120 MB stayed with the server after a 5 MB
 * file), while a process that exits gives everything back.
 */
export const OWN_PROCESS_CHARS = 2 * 1024 * 1024;

/**
 * The worker thread is ended after this long without a job: it holds its own machine, language
 * data and the heap its last lint grew (~100 MiB of the server's RSS with big.bt open, machine
 * on), and starting it again for the next full lint costs 0.1 s, 0.5–0.6 s when it reads the machine.
 */
export const WORKER_IDLE_MS = 60_000;

export interface LintJob {
  id: number;
  text: string;
  options: BackgroundLintOptions;
}

export type LintReply = ({ id: number } & BackgroundLintResult) | { id: number; error: string };

/**
 * The linter in a worker thread (lint-worker.js), so that a lint of a big file (a second or
 * more) never makes hover, completion or the next edit wait. One worker, one job at a time:
 * while it works, a newer job for the same document replaces the one still waiting, and the
 * replaced one is answered as stale (rejected with StaleLint), so stale versions are never
 * linted once a newer one is known. A huge text (OWN_PROCESS_CHARS) is linted in a child process
 * running the same script, which lints it in its own worker thread and exits.
 */
export class BackgroundLinter implements BackgroundLint {
  private worker?: Worker;
  /** The child process linting the running huge text. */
  private process?: ChildProcess;
  private nextId = 0;
  private running?: { job: LintJob; key: string; resolve: (r: BackgroundLintResult) => void; reject: (e: Error) => void };
  private readonly waiting = new Map<string, { job: LintJob; resolve: (r: BackgroundLintResult) => void; reject: (e: Error) => void }>();

  /** Ends the idle worker thread. */
  private idleTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly script: URL,
    /** A full garbage collection, run when a huge text's lint process has answered (tests count the calls). */
    private readonly collect: () => void = collectGarbage,
    /** How long the worker thread waits for a next job before it is ended. */
    private readonly idleMs = WORKER_IDLE_MS,
  ) {}

  /** The worker script next to the running bundle (lint-worker.js, or .cjs beside a .cjs bundle), if it was built. */
  static nextTo(moduleUrl: string): BackgroundLinter | undefined {
    const script = new URL(moduleUrl.endsWith(".cjs") ? "./lint-worker.cjs" : "./lint-worker.js", moduleUrl);
    return existsSync(script) ? new BackgroundLinter(script) : undefined;
  }

  /** Lint `text`; `key` (the document URI) decides which waiting job a newer one replaces. */
  lint(key: string, text: string, options: LintJob["options"]): Promise<BackgroundLintResult> {
    return new Promise((resolve, reject) => {
      const job: LintJob = { id: ++this.nextId, text, options };
      this.waiting.get(key)?.reject(new StaleLint());
      this.waiting.set(key, { job, resolve, reject });
      this.pump();
    });
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    void this.worker?.terminate();
    this.worker = undefined;
    this.process?.kill();
    this.process = undefined;
    this.running?.reject(new StaleLint());
    this.running = undefined;
    for (const w of this.waiting.values()) w.reject(new StaleLint());
    this.waiting.clear();
  }

  private pump(): void {
    if (this.running) return;
    clearTimeout(this.idleTimer);
    const next = this.waiting.entries().next();
    if (next.done) {
      if (this.worker) this.idleTimer = setTimeout(() => this.endWorker(), this.idleMs).unref();
      return;
    }
    const [key, entry] = next.value;
    this.waiting.delete(key);
    this.running = { ...entry, key };
    if (entry.job.text.length >= OWN_PROCESS_CHARS) this.lintInOwnProcess(entry.job);
    else this.ensureWorker().postMessage(entry.job);
  }

  /** Settles the running job with the linter's reply. */
  private static answer(running: { resolve: (r: BackgroundLintResult) => void; reject: (e: Error) => void }, reply: LintReply): void {
    if ("error" in reply) running.reject(new Error(reply.error));
    else running.resolve({ findings: reply.findings, parseDiagnostics: reply.parseDiagnostics, machineProblems: reply.machineProblems });
  }

  /**
   * Lints `job` in a child process that answers once and exits; the answer waits for the exit, so
   * the memory is back when the check is. Its stdout is not the server's (that is the protocol's).
   */
  private lintInOwnProcess(job: LintJob): void {
    const child = fork(fileURLToPath(this.script), [], { serialization: "advanced", execArgv: [], stdio: ["ignore", "ignore", "inherit", "ipc"] });
    this.process = child;
    let reply: LintReply | undefined;
    let failure: Error | undefined;
    child.on("message", (message: LintReply) => {
      if (message.id === job.id) reply ??= message;
    });
    child.on("error", (error) => {
      failure ??= error;
      // A process that could not start sends no exit event.
      if (child.pid === undefined) finish();
    });
    const finish = () => {
      if (this.process !== child) return;
      this.process = undefined;
      const running = this.running;
      this.running = undefined;
      if (running) {
        // The huge text's parse in this thread and the reply's buffers are garbage now: give it back
        // before the check answers, and what answering it made (its diagnostics as JSON: ~20 MB for
        // the 5 MB file) once the answer is written. A full collection takes a fraction of a
        // second; the lint took seconds.
        this.collect();
        if (reply) BackgroundLinter.answer(running, reply);
        else running.reject(failure ?? new Error(`lint process exited with ${child.signalCode ?? `code ${child.exitCode}`}`));
        setTimeout(this.collect);
      }
      this.pump();
    };
    child.on("exit", finish);
    child.unref();
    child.channel?.unref();
    child.send(job);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // The stack bt-lint and bt-fmt give deep nesting: the worker parses and lints it as they do.
    const worker = new Worker(this.script, { resourceLimits: { stackSizeMb: LARGE_STACK_MB } });
    worker.unref();
    worker.on("message", (reply: LintReply) => {
      const running = this.running;
      if (!running || running.job.id !== reply.id) return;
      this.running = undefined;
      BackgroundLinter.answer(running, reply);
      this.pump();
    });
    // A disposed worker's exit (terminate() ends it with code 1) is no crash.
    worker.on("error", (error) => this.worker === worker && this.crashed(error));
    worker.on("exit", (code) => this.worker === worker && code !== 0 && this.crashed(new Error(`lint worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  /** Ends the worker thread (idle: no job running or waiting); the next job starts a new one. */
  private endWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  /** A crashed worker fails its job; the next job starts a new one. */
  private crashed(error: Error): void {
    this.worker = undefined;
    const running = this.running;
    this.running = undefined;
    running?.reject(error);
    this.pump();
  }
}

/** The job was replaced by a newer one for the same document before it started. */
export class StaleLint extends Error {
  constructor() {
    super("replaced by a newer version");
  }
}
