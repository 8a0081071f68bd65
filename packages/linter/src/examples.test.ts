/** The seed scripts of examples/ (from the user's uprobes lab): exact findings and fix output. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { applyFixes } from "./fix.ts";
import { lintText } from "./lint.ts";

const examples = resolve(dirname(fileURLToPath(import.meta.url)), "../../../examples");
const read = (f: string) => readFileSync(join(examples, f), "utf8");
const brief = (text: string, target: string) =>
  lintText(text, { target, readFileSystem: false }).findings.map((f) => `${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column} ${f.ruleId}`);

describe.skipIf(!existsSync(join(examples, "process-lifetime-nix.bt")))("seed scripts", () => {
  it("process-lifetime-nix.bt at 0.17: nix-store globs and the two-argument delete (with fix)", () => {
    const text = read("process-lifetime-nix.bt");
    expect(brief(text, "0.17")).toEqual(["1:8-1:42 nix-store-path", "6:8-6:42 nix-store-path", "10:3-10:28 version-compat"]);
    const r = lintText(text, { target: "0.17", readFileSystem: false });
    const fixed = applyFixes(text, r.findings);
    expect(fixed.applied).toBe(1);
    expect(fixed.text).toBe(text.replace("delete(@start_times, pid);", "delete(@start_times[pid]);"));
    expect(lintText(fixed.text, { target: "0.17" }).parseOk).toBe(true);
  });
  it("process-lifetime-nix.bt at 0.27: the nix-store globs and the discarded delete() result (info; bpftrace 0.27 warns there)", () => {
    expect(brief(read("process-lifetime-nix.bt"), "0.27")).toEqual(["1:8-1:42 nix-store-path", "6:8-6:42 nix-store-path", "10:3-10:29 return-value-discarded"]);
  });
  it("exit-codes.bt: the glob; the portable version is clean", () => {
    expect(brief(read("exit-codes.bt"), "0.17")).toEqual(["2:8-2:42 nix-store-path"]);
    expect(brief(read("exit-codes-portable.bt"), "0.17")).toEqual([]);
    // bpftrace 0.27 warns "Return value discarded." at 11:3 (the delete() statement): an info finding
    expect(brief(read("process-lifetime.bt"), "0.27")).toEqual(["11:3-11:29 return-value-discarded"]);
  });
  it("lifetime-seconds.bt (exercise 4.3): the units rule", () => {
    expect(brief(read("lifetime-seconds.bt"), "0.27")).toEqual(["12:31-12:71 time-unit-truncation", "13:3-13:29 return-value-discarded"]);
  });
});
