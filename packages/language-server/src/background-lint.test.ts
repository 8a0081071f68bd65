import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { BackgroundLinter, OWN_PROCESS_CHARS, StaleLint } from "./background-lint.ts";

/**
 * The queue of BackgroundLinter with a stand-in worker (the real lint-worker.js is exercised
 * through the bundle in main.test.ts): it answers each job with one finding naming the text,
 * after `wait` ms, and fails on the text "boom". Started as a child process (a huge text), it
 * answers one job with its process id, or exits with code 3 on a text starting with "crash".
 */
const WORKER = `
const { parentPort, threadId } = require("node:worker_threads");
if (!parentPort) {
  process.once("message", (job) => {
    if (job.text.startsWith("crash")) process.exit(3);
    const at = { offset: 0, line: 1, column: 1 };
    process.send({ id: job.id, findings: [{ ruleId: "seen", severity: "info", message: String(process.pid), range: { start: at, end: at } }] }, () => process.disconnect());
  });
}
else parentPort.on("message", (job) => {
  if (job.options.filePath === "thread") return parentPort.postMessage({ id: job.id, findings: [{ ruleId: "seen", severity: "info", message: String(threadId), range: { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } } }] });
  const wait = Number(job.options.filePath ?? 0);
  setTimeout(() => {
    if (job.text === "crash") process.exit(3);
    if (job.text === "boom") return parentPort.postMessage({ id: job.id, error: "boom" });
    const at = { offset: 0, line: 1, column: 1 };
    parentPort.postMessage({ id: job.id, findings: [{ ruleId: "seen", severity: "info", message: job.text, range: { start: at, end: at } }] });
  }, wait);
});
`;

let linter: BackgroundLinter | undefined;
afterEach(() => linter?.dispose());

function start(collect = () => {}, idleMs?: number): BackgroundLinter {
  const dir = mkdtempSync(join(tmpdir(), "bt-bg-lint-"));
  const script = join(dir, "worker.cjs");
  writeFileSync(script, WORKER);
  linter = new BackgroundLinter(pathToFileURL(script), collect, idleMs);
  return linter;
}
const messages = (r: { findings: { message: string }[] }) => r.findings.map((f) => f.message);

describe("BackgroundLinter", () => {
  it("lints in the worker; a job waiting behind a running one is replaced by a newer one for the same document", async () => {
    const bg = start();
    const running = bg.lint("a.bt", "v1", { target: "0.27", filePath: "100" });
    const waiting = bg.lint("a.bt", "v2", { target: "0.27" });
    const newest = bg.lint("a.bt", "v3", { target: "0.27" });
    const other = bg.lint("b.bt", "b1", { target: "0.27" });
    await expect(waiting).rejects.toBeInstanceOf(StaleLint);
    expect(messages(await running)).toEqual(["v1"]);
    expect(messages(await newest)).toEqual(["v3"]);
    expect(messages(await other)).toEqual(["b1"]);
  });

  it("a linter error fails only its job; a crashed worker is replaced", async () => {
    const bg = start();
    await expect(bg.lint("a.bt", "boom", { target: "0.27" })).rejects.toThrow("boom");
    await expect(bg.lint("a.bt", "crash", { target: "0.27" })).rejects.toThrow("lint worker exited with code 3");
    expect(messages(await bg.lint("a.bt", "after", { target: "0.27" }))).toEqual(["after"]);
  });

  it("ends the worker thread once it has had no job for its idle time; the next job starts a new one", async () => {
    const bg = start(undefined, 300);
    const thread = async () => Number(messages(await bg.lint("a.bt", "small", { target: "0.27", filePath: "thread" }))[0]);
    const first = await thread();
    expect(await thread()).toBe(first);
    await new Promise((resolve) => setTimeout(resolve, 900));
    const second = await thread();
    expect(second).not.toBe(first);
    expect(await thread()).toBe(second);
  });

  it("collects the garbage when a huge text's lint process has answered or failed, before the answer and once more after it; never after a lint in the thread", async () => {
    const events: string[] = [];
    const bg = start(() => events.push("collected"));
    const note = (what: string) => (r: unknown) => void events.push(r instanceof Error ? `${what} failed` : `${what} answered`);
    const nextTimer = () => new Promise((resolve) => setTimeout(resolve));
    await bg.lint("a.bt", "small", { target: "0.27", filePath: "thread" }).then(note("thread"));
    await nextTimer();
    const huge = "x".repeat(OWN_PROCESS_CHARS);
    await bg.lint("a.bt", huge, { target: "0.27" }).then(note("huge"));
    await nextTimer();
    await bg.lint("a.bt", `crash${huge}`, { target: "0.27" }).then(note("crash"), note("crash"));
    await nextTimer();
    expect(events).toEqual(["thread answered", "collected", "huge answered", "collected", "collected", "crash failed", "collected"]);
  });

  it("lints a huge text in a child process of its own, which has exited when the answer comes; the worker thread stays", async () => {
    const bg = start();
    const thread = async (text: string) => messages(await bg.lint("a.bt", text, { target: "0.27", filePath: "thread" }))[0];
    const first = await thread("small");
    const huge = "x".repeat(OWN_PROCESS_CHARS);
    const pid = Number(await thread(huge));
    expect(pid).not.toBe(process.pid);
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }));
    expect(Number(await thread(huge))).not.toBe(pid);
    expect(await thread("x".repeat(OWN_PROCESS_CHARS - 1))).toBe(first);
    await expect(bg.lint("a.bt", `crash${huge}`, { target: "0.27" })).rejects.toThrow("lint process exited with code 3");
    expect(await thread("small")).toBe(first);
  });

  it("finds the worker next to a bundle only when it was built", () => {
    const dir = mkdtempSync(join(tmpdir(), "bt-bg-next-"));
    expect(BackgroundLinter.nextTo(pathToFileURL(join(dir, "bt-lsp.js")).href)).toBeUndefined();
    writeFileSync(join(dir, "lint-worker.cjs"), "");
    expect(BackgroundLinter.nextTo(pathToFileURL(join(dir, "server.cjs")).href)).toBeInstanceOf(BackgroundLinter);
  });
});
