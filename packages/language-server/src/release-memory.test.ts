import { describe, expect, it } from "vitest";
import { collectGarbage } from "./release-memory.ts";

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
