/**
 * `npm run bench` (node dist/bench.js): formatting speed against `bpftrace-0.27 --fmt`.
 *
 * 1. The corpus in one process: every corpus program that parses, formatted by
 *    `format()` in this process (files/s), against `bpftrace-0.27 --fmt` run
 *    once per file (the same files, or an even sample of them) → ratio (target ≥ 10×).
 * 2. One typical tool as a whole process: `node bin/bt-fmt.js FILE` (what the `bt-fmt`
 *    command runs; its code cache warmed by a first run) against `bpftrace-0.27 --fmt FILE`,
 *    interleaved, median of several runs → ratio (target ≤ 3×); also without the code cache.
 * Skipped, with a message, when the oracle binary is absent.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
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

  const cli = join(PKG_DIR, "bin/bt-fmt.js");
  const noCache = { ...process.env, BT_FMT_CACHE_DIR: "off" };
  if (!existsSync(join(PKG_DIR, "dist/bt-fmt.cjs"))) {
    console.warn(`bench: ${cli} missing (npm run build); whole-process comparison SKIPPED`);
    return 0;
  }
  for (const rel of TYPICAL) {
    const file = join(CORPUS, rel);
    if (!existsSync(file)) continue;
    timeProcess(process.execPath, [cli, file]);
    timeProcess(ORACLE, ["--fmt", file]);
    const ours: number[] = [];
    const cold: number[] = [];
    const theirs: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      ours.push(timeProcess(process.execPath, [cli, file]));
      theirs.push(timeProcess(ORACLE, ["--fmt", file]));
      cold.push(timeProcess(process.execPath, [cli, file], noCache));
      bare.push(timeProcess(process.execPath, ["-e", "0"]));
    }
    const o = median(ours);
    const b = median(theirs);
    console.log(
      `single file, whole process (${rel}, median of ${runs}): bt-fmt ${o.toFixed(1)} ms, ` +
        `bpftrace-0.27 --fmt ${b.toFixed(1)} ms → ${(o / b).toFixed(2)}× (target ≤ 3×); ` +
        `without the code cache ${median(cold).toFixed(1)} ms → ${(median(cold) / b).toFixed(2)}×; ` +
        `\`node -e 0\` alone ${median(bare).toFixed(1)} ms → ${(median(bare) / b).toFixed(2)}×`,
    );
  }
  return 0;
}
