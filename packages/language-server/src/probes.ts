import type { Probe, Program } from "@bt/parser";

/** The probe whose attach points, predicate or body contain the offset. */
export function probeAt(program: Program, offset: number): Probe | undefined {
  for (const item of program.body) {
    if (item.range.start.offset > offset) break;
    if (item.type === "Probe" && offset <= item.range.end.offset) return item;
  }
  return undefined;
}

/** Canonical providers of a probe's attach points; undefined where unknown or wildcarded. */
export function providersOf(probe: Probe): (string | undefined)[] {
  return probe.attachPoints.map((a) => a.providerCanonical);
}
