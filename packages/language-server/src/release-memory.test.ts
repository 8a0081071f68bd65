import { getHeapSpaceStatistics } from "node:v8";
import { describe, expect, it } from "vitest";
import { collectGarbage, keepYoungGenerationSmall, letYoungGenerationGrow } from "./release-memory.ts";

describe("the young generation's size", () => {
  const youngGeneration = () => getHeapSpaceStatistics().find((s) => s.space_name === "new_space")!.space_size;
  /** A million objects that live long enough to survive young collections: V8 grows the young generation for them. */
  const allocateSurvivors = () => Array.from({ length: 1_000_000 }, (_, i) => ({ i, text: `x${i}` })).length;

  // First in this file: the tests after it grow the young generation to its largest.
  it("stays as it is while kept small, and grows again once let", () => {
    const before = youngGeneration();
    // V8's largest is two 16 MB semi-spaces: from there it could not show growing.
    expect(before).toBeLessThan(32 * 1024 * 1024);
    keepYoungGenerationSmall();
    try {
      allocateSurvivors();
      expect(youngGeneration()).toBe(before);
    } finally {
      letYoungGenerationGrow();
    }
    allocateSurvivors();
    expect(youngGeneration()).toBeGreaterThan(before);
  });
});

describe("collectGarbage", () => {
  it("frees what nothing refers to any more, and puts no gc() in the global scope", () => {
    const globalGc = typeof (globalThis as { gc?: unknown }).gc;
    let held: { index: number; text: string }[] | undefined = Array.from({ length: 400_000 }, (_, index) => ({ index, text: `item ${index}` }));
    collectGarbage();
    const holding = process.memoryUsage().heapUsed;
    expect(held.length).toBe(400_000);
    held = undefined;
    collectGarbage();
    const freed = holding - process.memoryUsage().heapUsed;
    // 400,000 objects with a string each: well over 20 MB on a 64-bit heap.
    expect(freed).toBeGreaterThan(20 * 1024 * 1024);
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe(globalGc);
  });
});
