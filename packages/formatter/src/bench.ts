/**
 * `npm run bench` (node dist/bench.js): formatting speed against `bpftrace-0.27 --fmt`.
 *
 * 1. The corpus in one process: every corpus program that parses, formatted by
 *    `format()` in this process (files/s), against `bpftrace-0.27 --fmt` run
 *    once per file (the same files, or an even sample of them) → ratio (target ≥ 10×).
 * 2. One typical tool as a whole process: the `bt-fmt FILE` command (bin/bt-fmt.js run as
 *    a program: from its startup snapshot, see src/snapshot.ts) against `bpftrace-0.27 --fmt
 *    FILE`, interleaved, median of several runs → ratio (target ≤ 3×); also without the
 *    snapshot, as `node bin/bt-fmt.js FILE`, and Node's own start-up (`node -e 0`).
 * Skipped, with a message, when the oracle binary is absent.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { format } from "./format.ts";
import { SHARED_CORPUS as CORPUS, listBt } from "./test-helpers.ts";

const here = dirname(fileURLToPath(import.meta.url));
/** dist/ or src/ → the package directory. */
const PKG_DIR = resolve(here, "..");
const ORACLE = "/usr/local/bin/bpftrace-0.27";
const TYPICAL = ["tools-HEAD/tcpconnect.bt", "tools-HEAD/biolatency.bt"];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { stdio: ["ignore", "ignore", "ignore"], env });
  const ms = performance.now() - t;
  if (r.error) throw r.error;
  return ms;
}

export async function runBench(argv: string[]): Promise<number> {
  const runs = Number(argv.find((a) => a.startsWith("--runs="))?.slice(7) ?? 15);
  // bench/big*.bt are the whole corpus concatenated (the parser's throughput inputs), not programs of their own.
  const files = listBt(CORPUS).filter((f) => !f.includes("/bench/"));
  if (files.length === 0) {
    console.error(`bench: no corpus at ${CORPUS}`);
    return 2;
  }
  const texts = files.map((f) => ({ file: f, text: readFileSync(f, "utf8") }));

  // warm-up (JIT, lazy loading), then the measured pass
  const usable: typeof texts = [];
  for (const t of texts) {
    try {
      await format(t.text);
      usable.push(t);
    } catch {
      // files we refuse (syntax errors) are not part of the measurement
    }
  }
  const t0 = performance.now();
  let bytes = 0;
  for (const t of usable) {
    await format(t.text);
    bytes += t.text.length;
  }
  const oursMs = performance.now() - t0;
  const perFileOurs = oursMs / usable.length;
  console.log(
    `corpus, one process: ${usable.length} files (${(bytes / 1024).toFixed(0)} KiB) in ${oursMs.toFixed(0)} ms → ` +
      `${((usable.length * 1000) / oursMs).toFixed(0)} files/s, ${perFileOurs.toFixed(2)} ms/file`,
  );

  if (!existsSync(ORACLE)) {
    console.warn(`bench: ${ORACLE} is absent (run /work/shared/oracle/install.sh); ratios to bpftrace --fmt SKIPPED`);
    return 0;
  }

  // bpftrace --fmt once per file: an even sample keeps the run short
  const sample = usable.filter((_, i) => i % Math.max(1, Math.floor(usable.length / 300)) === 0);
  let oracleMs = 0;
  for (const t of sample) oracleMs += timeProcess(ORACLE, ["--fmt", t.file]);
  const perFileOracle = oracleMs / sample.length;
  // Ours on exactly the same files, in this process.
  const ts = performance.now();
  for (const t of sample) await format(t.text);
  const perFileOursOnSample = (performance.now() - ts) / sample.length;
  console.log(
    `bpftrace-0.27 --fmt, one process per file: ${sample.length} files, ${perFileOracle.toFixed(2)} ms/file; ours on the same files ${perFileOursOnSample.toFixed(2)} ms/file`,
  );
  console.log(`  ratio (bpftrace per file / ours per file, same files): ${(perFileOracle / perFileOursOnSample).toFixed(1)}× (target ≥ 10×)`);
  await layoutAgreement(usable.filter((t) => !t.file.includes("/semantic/")));

  const command = join(PKG_DIR, "bin/bt-fmt.js");
  if (!existsSync(join(PKG_DIR, "dist/bt-fmt.cjs"))) {
    console.warn(`bench: ${command} missing (npm run build); whole-process comparison SKIPPED`);
    return 0;
  }
  if (!existsSync(join(PKG_DIR, "dist/bt-fmt.blob"))) console.warn("bench: dist/bt-fmt.blob missing: the `bt-fmt` command runs without its snapshot");
  // Each variant is a whole process, run in turn with the others so that drift hits all alike.
  const variants: { name: string; cmd: string; args: (file: string) => string[]; env?: NodeJS.ProcessEnv }[] = [
    { name: "`bt-fmt FILE` (the command: its snapshot, no NODE_EXTRA_CA_CERTS)", cmd: command, args: (f) => [f] },
    { name: "`bt-fmt FILE` with BT_FMT_SNAPSHOT=off (code cache only)", cmd: command, args: (f) => [f], env: { ...process.env, BT_FMT_SNAPSHOT: "off" } },
    { name: "`node bin/bt-fmt.js FILE` (this environment as it is)", cmd: process.execPath, args: (f) => [command, f] },
    { name: "`node -e 0` (this environment as it is)", cmd: process.execPath, args: () => ["-e", "0"] },
  ];
  const caFile = process.env.NODE_EXTRA_CA_CERTS;
  if (caFile) {
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    variants.push({ name: "`node -e 0` without NODE_EXTRA_CA_CERTS (Node's own floor)", cmd: process.execPath, args: () => ["-e", "0"], env });
  }
  largeInputs(command, Math.max(3, Math.min(runs, 5)));
  for (const rel of TYPICAL) {
    const file = join(CORPUS, rel);
    if (!existsSync(file)) continue;
    for (const v of variants) timeProcess(v.cmd, v.args(file), v.env);
    timeProcess(ORACLE, ["--fmt", file]);
    const times = variants.map(() => [] as number[]);
    const theirs: number[] = [];
    for (let i = 0; i < runs; i++) {
      theirs.push(timeProcess(ORACLE, ["--fmt", file]));
      variants.forEach((v, j) => times[j].push(timeProcess(v.cmd, v.args(file), v.env)));
    }
    const b = median(theirs);
    console.log(`single file, whole process (${rel}, median of ${runs}): bpftrace-0.27 --fmt ${b.toFixed(1)} ms`);
    variants.forEach((v, j) => {
      const o = median(times[j]);
      console.log(`  ${v.name}: ${o.toFixed(1)} ms → ${(o / b).toFixed(2)}×${j === 0 ? " (target ≤ 3×)" : ""}`);
    });
  }
  return 0;
}

const TIME = "/usr/bin/time";

/** Wall time and peak resident memory of one process (peak from GNU time's %M; undefined without it). */
function measureProcess(cmd: string, args: string[]): { ms: number; peakMb?: number } {
  if (!existsSync(TIME)) return { ms: timeProcess(cmd, args) };
  const t = performance.now();
  const r = spawnSync(TIME, ["-f", "%M", cmd, ...args], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = performance.now() - t;
  if (r.error) throw r.error;
  const kb = Number(r.stderr.trim().split("\n").pop());
  return { ms, peakMb: Number.isFinite(kb) ? kb / 1024 : undefined };
}

/**
 * A valid program of about `bytes` bytes, the same on every run: big.bt (every corpus program
 * bpftrace accepts, concatenated) repeated, its C definitions, config and imports kept once at
 * the top and only its probes repeated, since bpftrace wants those before any probe.
 */
export function largeProgram(bytes: number): string | undefined {
  const big = join(CORPUS, "bench/big.bt");
  if (!existsSync(big)) return undefined;
  const text = readFileSync(big, "utf8");
  const firstProbe = text.search(/^(BEGIN|begin|kprobe|tracepoint|uprobe|interval|profile|software|hardware)\b/m);
  if (firstProbe <= 0) return undefined;
  const head = text.slice(0, firstProbe);
  const probes = text.slice(firstProbe);
  return head + probes.repeat(Math.max(1, Math.round((bytes - head.length) / probes.length)));
}

/** bt-fmt on big10.bt and on a 10 MB program against bpftrace-0.27 --fmt, interleaved: time and peak memory ratios. */
function largeInputs(command: string, runs: number): void {
  const inputs: { name: string; file: string }[] = [];
  const big10 = join(CORPUS, "bench/big10.bt");
  if (existsSync(big10)) inputs.push({ name: "bench/big10.bt (3.1 MiB)", file: big10 });
  const dir = mkdtempSync(join(tmpdir(), "bt-fmt-bench-"));
  try {
    const ten = largeProgram(10 * 1024 * 1024);
    if (ten) {
      const file = join(dir, "ten.bt");
      writeFileSync(file, ten);
      inputs.push({ name: `generated ${(ten.length / 1024 / 1024).toFixed(1)} MiB program (big.bt's probes repeated)`, file });
    }
    for (const { name, file } of inputs) {
      const theirs: { ms: number; peakMb?: number }[] = [];
      const ours: { ms: number; peakMb?: number }[] = [];
      for (let i = 0; i < runs; i++) {
        theirs.push(measureProcess(ORACLE, ["--fmt", file]));
        ours.push(measureProcess(command, [file]));
      }
      const b = median(theirs.map((x) => x.ms));
      const o = median(ours.map((x) => x.ms));
      const peak = (xs: { peakMb?: number }[]) => {
        const mb = xs.map((x) => x.peakMb).filter((x): x is number => x !== undefined);
        return mb.length > 0 ? `${Math.max(...mb).toFixed(0)} MB` : `unknown (${TIME} missing)`;
      };
      console.log(`large input, whole process (${name}, median of ${runs}): bpftrace-0.27 --fmt ${b.toFixed(0)} ms, peak ${peak(theirs)}`);
      console.log(`  \`bt-fmt FILE\`: ${o.toFixed(0)} ms → ${(o / b).toFixed(2)}× (target ≤ 2×), peak ${peak(ours)} (target ≤ 500 MB)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Byte-for-byte agreement of the layout: our output against `bpftrace-0.27 --fmt FILE` on every
 * corpus program we format, outside semantic/ (the type checker's cases) and bench/. Programs
 * bpftrace refuses to format are counted apart. The differences that remain are listed, with the
 * deliberate ones, in the README (Style).
 */
async function layoutAgreement(texts: { file: string; text: string }[]): Promise<void> {
  let same = 0;
  let compared = 0;
  let refused = 0;
  for (const t of texts) {
    const theirs = spawnSync(ORACLE, ["--fmt", t.file], { encoding: "utf8", maxBuffer: 64 << 20 });
    if (theirs.error || theirs.status !== 0) {
      refused++;
      continue;
    }
    compared++;
    if ((await format(t.text)) === theirs.stdout) same++;
  }
  console.log(
    `layout, byte for byte: ${same}/${compared} programs identical to bpftrace-0.27 --fmt (${((100 * same) / compared).toFixed(1)}%)` +
      (refused > 0 ? `; ${refused} refused by bpftrace --fmt, not counted` : ""),
  );
}
