/**
 * Whether bpftrace will be allowed to load programs, decided before starting it so the user
 * gets one sentence instead of bpftrace's errors.
 *
 * Measured on this machine: bpftrace 0.17 and 0.23 refuse any non-root user ("only supports
 * running as the root user"); 0.27 checks capabilities instead (CAP_BPF, CAP_PERFMON,
 * CAP_DAC_READ_SEARCH). Releases in between are treated as root-only (not verified).
 * A non-root bt-run passes capabilities to bpftrace only through the ambient set, so that is the
 * set checked for non-root users; for root the effective set is checked (containers may drop
 * CAP_BPF / CAP_SYS_ADMIN even for root).
 */
import { readFileSync } from "node:fs";
import { compareReleases } from "@bt/parser";

export const CAPS = { CAP_DAC_READ_SEARCH: 2, CAP_SYS_ADMIN: 21, CAP_PERFMON: 38, CAP_BPF: 39 } as const;
type CapName = keyof typeof CAPS;

export interface ProcessCredentials {
  euid: number;
  effective: bigint;
  ambient: bigint;
}

/** Reads uid and capability sets of this process from /proc/self/status. */
export function currentCredentials(): ProcessCredentials {
  let status = "";
  try {
    status = readFileSync("/proc/self/status", "utf8");
  } catch {
    // No procfs: only the uid is known.
  }
  const caps = (name: string) => {
    const m = new RegExp(`^${name}:\\s*([0-9a-f]+)`, "mi").exec(status);
    return m ? BigInt(`0x${m[1]}`) : 0n;
  };
  return { euid: process.geteuid?.() ?? -1, effective: caps("CapEff"), ambient: caps("CapAmb") };
}

const has = (set: bigint, cap: CapName) => ((set >> BigInt(CAPS[cap])) & 1n) === 1n;

/**
 * `undefined` when bpftrace `release` can run with these credentials, else a one-sentence
 * explanation of what is missing (no trailing newline).
 */
export function privilegeProblem(release: string, cred: ProcessCredentials): string | undefined {
  const capsBased = compareReleases(release, "0.27") >= 0;
  const root = cred.euid === 0;
  if (!root && !capsBased) {
    return `bpftrace ${release} only runs as root: run bt-run with sudo`;
  }
  const set = root ? cred.effective : cred.ambient;
  const missing: CapName[] = [];
  if (!has(set, "CAP_SYS_ADMIN")) {
    if (!has(set, "CAP_BPF")) missing.push("CAP_BPF");
    if (!has(set, "CAP_PERFMON")) missing.push("CAP_PERFMON");
  }
  if (capsBased && !has(set, "CAP_DAC_READ_SEARCH")) missing.push("CAP_DAC_READ_SEARCH");
  if (missing.length === 0) return undefined;
  const list = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(", ")} and ${missing.at(-1)}`;
  return root
    ? `bpftrace needs ${list}, which this root process does not have (a container without them?): grant them or run on the host`
    : `bpftrace needs root or the ${list} capabilit${missing.length === 1 ? "y" : "ies"} (as ambient capabilities of bt-run): run bt-run with sudo`;
}
