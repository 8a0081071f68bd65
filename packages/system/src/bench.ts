/**
 * `npm run bench`: what reading this machine costs.
 *   - vmlinux BTF: time to open it (one walk over every type) and the memory it keeps;
 *   - kernel function list (BTF + kallsyms, or available_filter_functions);
 *   - completion: prefix queries over the kernel functions after the first request (p50/p95);
 *   - struct lookups and tracepoint field lookups (p95);
 *   - a module's function index (`kprobe:MODULE:`), the raw tracepoint list and their args.
 * Budgets (issue #13): BTF ≤ 300 ms and ≤ 100 MB extra; completion ≤ 20 ms p95.
 */
import { readFileSync } from "node:fs";
import { Btf } from "./btf.ts";
import { Kernel } from "./kernel.ts";
import { closestNames } from "./names.ts";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
function timed(samples: number[], f: () => void): void {
  const t = performance.now();
  f();
  samples.push(performance.now() - t);
}
function row(name: string, samples: number[], budget?: number): void {
  const s = [...samples].sort((a, b) => a - b);
  const p95 = percentile(s, 95);
  const verdict = budget === undefined ? "" : p95 <= budget ? `  (budget ${budget} ms: ok)` : `  (budget ${budget} ms: OVER)`;
  console.log(`${name.padEnd(44)} n=${String(s.length).padStart(5)}  p50 ${percentile(s, 50).toFixed(3)} ms  p95 ${p95.toFixed(3)} ms  max ${s[s.length - 1].toFixed(3)} ms${verdict}`);
}

const VMLINUX = "/sys/kernel/btf/vmlinux";
let bytes: Buffer;
try {
  bytes = readFileSync(VMLINUX);
} catch (err) {
  console.error(`system bench: ${VMLINUX} not readable (${(err as NodeJS.ErrnoException).code}); nothing to measure`);
  process.exit(0);
}

// First, before anything is cached: what the first `--machine` question costs.
const cold: number[] = [];
globalThis.gc?.();
const beforeList = process.memoryUsage();
let coldKernel!: Kernel;
timed(cold, () => (coldKernel = new Kernel()).functions());
row("kernel function list, cold (reads BTF and kallsyms)", cold);
globalThis.gc?.();
const afterList = process.memoryUsage();
console.log(`memory kept by the kernel function list and the BTF under it: ${mb(afterList.heapUsed - beforeList.heapUsed + afterList.arrayBuffers - beforeList.arrayBuffers)} (${coldKernel.functions().names.size} names)`);

// Memory: one BTF opened, its FUNC names listed and its name index built, against a baseline.
globalThis.gc?.();
const heapBefore = process.memoryUsage();
const kept = new Btf(readFileSync(VMLINUX));
kept.functionNames();
kept.idsNamed("task_struct");
globalThis.gc?.();
const heapAfter = process.memoryUsage();
const extra = heapAfter.heapUsed - heapBefore.heapUsed + heapAfter.arrayBuffers - heapBefore.arrayBuffers;
console.log(
  `memory kept by one opened BTF with its name index: ${mb(extra)} (heap +${mb(heapAfter.heapUsed - heapBefore.heapUsed)}, buffers +${mb(heapAfter.arrayBuffers - heapBefore.arrayBuffers)}; budget 100 MB extra)${globalThis.gc ? "" : " — run with --expose-gc for exact figures"}`,
);

const opens: number[] = [];
let btf!: Btf;
for (let i = 0; i < 5; i++) timed(opens, () => (btf = new Btf(readFileSync(VMLINUX))));
row(`open vmlinux BTF (${mb(bytes.length)}, ${btf.typeCount} types)`, opens, 300);
const fnNames: number[] = [];
for (let i = 0; i < 5; i++) timed(fnNames, () => btf.functionNames());
row(`  + list its ${btf.functionNames().length} FUNC names`, fnNames);
const indexes: number[] = [];
timed(indexes, () => btf.idsNamed("task_struct"));
row("  + name index (first lookup by name)", indexes);

const kernel = new Kernel();
const listing: number[] = [];
let fns = kernel.functions();
timed(listing, () => (fns = kernel.functions()));
const first: number[] = [];
timed(first, () => fns.names.withPrefix("vfs_", 50));
row(`kernel functions (${fns.source}, ${fns.names.size} names; cached)`, listing);
row("first completion request (names sorted when read)", first);

const prefixes: string[] = [];
const all = fns.names.names;
for (let i = 0; i < 2000; i++) {
  const n = all[(i * 7919) % all.length];
  prefixes.push(n.slice(0, 1 + (i % Math.min(8, n.length))));
}
const completion: number[] = [];
for (const p of prefixes) timed(completion, () => fns.names.withPrefix(p, 100));
row("completion: prefix query, first 100 of the matches", completion, 20);
const did: number[] = [];
for (const p of prefixes.slice(0, 50)) timed(did, () => closestNames(`${p}x_read`, all));
row("did-you-mean over every kernel function (not remembered)", did);

const moduleIndex: number[] = [];
timed(moduleIndex, () => fns.inModule("vmlinux")?.withPrefix("vfs_", 100));
row(`kprobe:MODULE: first vmlinux query (${fns.modules.size} modules)`, moduleIndex);
const rawCold: number[] = [];
let raw = kernel.rawTracepoints();
timed(rawCold, () => (raw = new Kernel().rawTracepoints()));
row(`raw tracepoints from BTF (${raw.names.size}), BTF cached`, rawCold);
const rawArgs: number[] = [];
for (const e of raw.events.names.slice(0, 300)) timed(rawArgs, () => kernel.rawTracepointArgs(e));
row("raw tracepoint args (300 events)", rawArgs);

const structs = ["task_struct", "file", "sock", "sk_buff", "inode", "dentry", "mm_struct", "page", "bio", "request"];
const structLookups: number[] = [];
for (let i = 0; i < 500; i++) timed(structLookups, () => kernel.structFields(structs[i % structs.length]));
row("struct fields by name", structLookups);
const tps = kernel.tracepoints();
if (tps.source === "tracefs") {
  const events = tps.events.names.slice(0, 300);
  const fieldLookups: number[] = [];
  for (const e of events) {
    const [c, n] = e.split(":");
    timed(fieldLookups, () => kernel.tracepointFields(c, n));
  }
  row(`tracepoint fields (first read of ${events.length} format files)`, fieldLookups);
} else console.log(`tracepoints: ${tps.note}`);
