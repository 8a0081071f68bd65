import { describe, expect, it } from "vitest";
import { bucketLabel, formatDuration, renderBuckets, renderEvent } from "./histogram.ts";
import type { Bucket } from "./events.ts";

const b = (min: number | null, max: number | null, count: number): Bucket => ({ min, max, count });

describe("formatDuration", () => {
  it.each([
    [0, "ns", "0"],
    [8, "ns", "8ns"],
    [1024, "ns", "1.02µs"],
    [131072, "ns", "131µs"],
    [1048576, "ns", "1.05ms"],
    [8388608, "ns", "8.39ms"],
    [16777216, "ns", "16.8ms"],
    [1073741824, "ns", "1.07s"],
    [999_999, "ns", "1ms"],
    [2, "s", "2s"],
    [64, "ms", "64ms"],
    [1024, "us", "1.02ms"],
    [-4, "ns", "-4ns"],
  ] as const)("%d %s → %s", (v, unit, text) => {
    expect(formatDuration(v, unit)).toBe(text);
  });
});

describe("bucketLabel", () => {
  it("prints bpftrace's half-open ranges and K/M suffixes without a unit", () => {
    expect(bucketLabel(b(131072, 262143, 1))).toBe("[128K, 256K)");
    expect(bucketLabel(b(0, 0, 1))).toBe("[0]");
    expect(bucketLabel(b(2, 3, 1))).toBe("[2, 4)");
    expect(bucketLabel(b(null, -1, 1))).toBe("(..., 0)");
    expect(bucketLabel(b(100, null, 1))).toBe("[100, ...)");
    expect(bucketLabel(b(0, 49, 1))).toBe("[0, 50)");
  });
  it("prints time units when the map holds durations", () => {
    expect(bucketLabel(b(131072, 262143, 1), "ns")).toBe("[131µs, 262µs)");
    expect(bucketLabel(b(1, 1, 1), "s")).toBe("[1s]");
    expect(bucketLabel(b(2, 3, 1), "s")).toBe("[2s, 4s)");
  });
});

describe("renderBuckets", () => {
  it("aligns labels and counts and scales bars to the largest bucket", () => {
    const lines = renderBuckets([b(65536, 131071, 2), b(131072, 262143, 12), b(262144, 524287, 0), b(524288, 1048575, 1)], undefined, undefined, 12);
    expect(lines).toEqual([
      "[64K, 128K)   2 |@@          |",
      "[128K, 256K) 12 |@@@@@@@@@@@@|",
      "[256K, 512K)  0 |            |",
      "[512K, 1M)    1 |@           |",
    ]);
  });
  it("renders nanosecond histograms in readable units", () => {
    const lines = renderBuckets([b(131072, 262143, 3), b(262144, 524287, 1), b(8388608, 16777215, 2)], "ns", undefined, 9);
    expect(lines).toEqual([
      "[131µs, 262µs)   3 |@@@@@@@@@|",
      "[262µs, 524µs)   1 |@@@      |",
      "[8.39ms, 16.8ms) 2 |@@@@@@   |",
    ]);
  });
});

describe("renderEvent", () => {
  it("prints an event of an unknown type as bpftrace sent it; the attach count goes elsewhere", () => {
    expect(renderEvent({ type: "other", raw: { type: "new_kind", data: { x: 1 } } })).toBe('{"type":"new_kind","data":{"x":1}}\n');
    expect(renderEvent({ type: "attached", probes: 2 })).toBe("");
  });
  it("prints one header per key, all keys of a map aligned together", () => {
    const text = renderEvent({
      type: "hist",
      map: "@lifetime_hist",
      unit: "ns",
      entries: [
        { key: "cat", buckets: [b(131072, 262143, 2), b(262144, 524287, 1)] },
        { key: "dig", buckets: [b(8388608, 16777215, 2)] },
      ],
    });
    expect(text.split("\n").map((l) => l.slice(0, 26))).toEqual([
      "@lifetime_hist[cat]:",
      "[131µs, 262µs)   2 |@@@@@@",
      "[262µs, 524µs)   1 |@@@@@@",
      "",
      "@lifetime_hist[dig]:",
      "[8.39ms, 16.8ms) 2 |@@@@@@",
      "",
      "",
    ]);
  });
  it("prints maps, stats and printed text like bpftrace", () => {
    expect(renderEvent({ type: "map", map: "@s", entries: [{ key: "a", value: 5 }, { key: "b", value: 7 }] })).toBe("@s[a]: 5\n@s[b]: 7\n");
    expect(renderEvent({ type: "map", map: "@c", entries: [{ key: null, value: 1 }] })).toBe("@c: 1\n");
    expect(renderEvent({ type: "stats", map: "@st", entries: [{ key: null, count: 2, average: 15, total: 30 }] })).toBe(
      "@st: count 2, average 15, total 30\n",
    );
    expect(renderEvent({ type: "text", kind: "printf", text: "false exited with code 1\n" })).toBe("false exited with code 1\n");
    expect(renderEvent({ type: "value", value: [1, "two"] })).toBe("(1, two)\n");
  });
});
