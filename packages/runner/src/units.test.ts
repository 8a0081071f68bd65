import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, type Program } from "@bt/parser";
import { describe, expect, it } from "vitest";
import { inferHistogramUnits } from "./units.ts";

const units = (text: string) => Object.fromEntries(inferHistogramUnits(parse(text).ast as Program));
const fixture = (name: string) => readFileSync(join(import.meta.dirname, "__fixtures__", name), "utf8");

describe("inferHistogramUnits", () => {
  it("reads the lab's lifetimes as nanoseconds", () => {
    expect(units(fixture("lifetime.bt"))).toEqual({ "@lifetime_hist": "ns" });
  });
  it("reads exercise 4.3 (divided by 1e9) as seconds", () => {
    expect(units(fixture("lifetime-seconds.bt"))).toEqual({ "@lifetime_seconds": "s" });
  });
  it("follows variables and scales by powers of 1000", () => {
    const text = `
kprobe:a { @s[tid] = nsecs; }
kretprobe:a /@s[tid]/ { $d = nsecs - @s[tid]; @us = hist($d / 1000); @ms = lhist($d / 1000000, 0, 100, 10); @ns = hist($d); }`;
    expect(units(text)).toEqual({ "@us": "us", "@ms": "ms", "@ns": "ns" });
  });
  it("gives no unit to sizes, odd divisors or conflicting assignments", () => {
    const text = `
kprobe:a { @s[tid] = nsecs; @bytes = hist(arg2); @odd = hist((nsecs - @s[tid]) / 1024); }
kprobe:b { @mixed = hist(nsecs - @s[tid]); }
kprobe:c { @mixed = hist(arg0); }`;
    expect(units(text)).toEqual({});
  });
});
