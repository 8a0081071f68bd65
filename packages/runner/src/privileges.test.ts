import { describe, expect, it } from "vitest";
import { CAPS, privilegeProblem } from "./privileges.ts";

const set = (...caps: (keyof typeof CAPS)[]) => caps.reduce((s, c) => s | (1n << BigInt(CAPS[c])), 0n);
// This machine's root (a container without CAP_SYS_RESOURCE): 0x1fffeffffff.
const rootHere = { euid: 0, effective: 0x1fffeffffffn, ambient: 0n };

describe("privilegeProblem", () => {
  it("accepts root with the usual capabilities on every release", () => {
    for (const r of ["0.17", "0.23", "0.27"]) expect(privilegeProblem(r, rootHere)).toBeUndefined();
  });
  it("tells a non-root user of a root-only release to use sudo, in one sentence", () => {
    const msg = privilegeProblem("0.17", { euid: 1000, effective: 0n, ambient: 0n });
    expect(msg).toBe("bpftrace 0.17 only runs as root: run bt-run with sudo");
  });
  it("names the missing capabilities for releases that check capabilities", () => {
    expect(privilegeProblem("0.27", { euid: 1000, effective: 0n, ambient: 0n })).toBe(
      "bpftrace needs root or the CAP_BPF, CAP_PERFMON and CAP_DAC_READ_SEARCH capabilities (as ambient capabilities of bt-run): run bt-run with sudo",
    );
    const ambient = set("CAP_BPF", "CAP_PERFMON", "CAP_DAC_READ_SEARCH");
    expect(privilegeProblem("0.27", { euid: 1000, effective: ambient, ambient })).toBeUndefined();
  });
  it("notices a root without BPF capabilities (a restricted container)", () => {
    expect(privilegeProblem("0.17", { euid: 0, effective: set("CAP_DAC_READ_SEARCH"), ambient: 0n })).toMatch(
      /^bpftrace needs CAP_BPF and CAP_PERFMON, which this root process does not have/,
    );
  });
});
