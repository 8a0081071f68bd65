import { describe, expect, it } from "vitest";
import { parseBpftraceVersion } from "./versions.ts";

describe("parseBpftraceVersion", () => {
  it.each([
    ["bpftrace v0.17.0\n", "0.17.0", "0.17", "0.17"],
    ["bpftrace v0.23.2", "0.23.2", "0.23", "0.23"],
    ["bpftrace v0.21.0-12-gdeadbeef", "0.21.0", "0.21", "0.21"],
    ["bpftrace 0.19", "0.19", "0.19", "0.19"],
    ["some warning on stderr\nbpftrace v0.20.1\n", "0.20.1", "0.20", "0.20"],
    // outside the modelled range: clamped to the nearest known release
    ["bpftrace v0.31.0", "0.31.0", "0.31", "0.27"],
    ["bpftrace v0.9.4", "0.9.4", "0.9", "0.16"],
  ])("%j", (text, version, release, target) => {
    expect(parseBpftraceVersion(text)).toEqual({ version, release, target });
  });

  it("rejects output that is not a bpftrace version line", () => {
    expect(parseBpftraceVersion("")).toBeUndefined();
    expect(parseBpftraceVersion("Python 3.11.2")).toBeUndefined();
    expect(parseBpftraceVersion("bpftrace version unknown")).toBeUndefined();
    expect(parseBpftraceVersion("bpftrace: command not found")).toBeUndefined();
  });
});
