import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RELEASES } from "../versions.ts";
import {
  BUILTINS,
  CONFIG_KEYS,
  FUNCTIONS,
  HARDWARE_EVENTS,
  MAP_KINDS,
  PROBES,
  RELEASE_INFO,
  SOFTWARE_EVENTS,
  TYPES,
  builtinAllowedIn,
  callRejectedAtParse,
  canonicalProbeName,
  configKeyStatus,
  findBuiltin,
  findConfigKey,
  findFunction,
  findProbe,
  functionSignatureFor,
  isAggregationFunction,
  isKnownCallName,
  isParserBuiltin,
  mapKindAvailable,
  probeAvailable,
  probeForms,
  probePartCountMessage,
  probePartCounts,
  typeAvailable,
} from "./index.ts";

const CORPUS = "/work/shared/corpus";
const isRelease = (r: unknown) => typeof r === "string" && (RELEASES as readonly string[]).includes(r);

describe("data integrity", () => {
  type Entry = [string, Record<string, unknown>];
  const tag = (prefix: string, list: readonly { name: string }[]): Entry[] =>
    list.map((e) => [`${prefix} ${e.name}`, e as unknown as Record<string, unknown>]);
  const entries: Entry[] = [
    ...tag("probe", PROBES),
    ...tag("builtin", BUILTINS),
    ...tag("function", FUNCTIONS),
    ...tag("config", CONFIG_KEYS),
    ...tag("type", TYPES),
    ...tag("map", MAP_KINDS),
    ...tag("sw", SOFTWARE_EVENTS),
    ...tag("hw", HARDWARE_EVENTS),
  ];

  it("every entry has a short doc", () => {
    for (const [what, e] of entries) {
      expect(typeof e.doc, what).toBe("string");
      expect((e.doc as string).length, what).toBeGreaterThan(5);
      expect((e.doc as string).length, what).toBeLessThan(400);
    }
  });

  it("every release field (recursively) is a known release string, and since < removed", () => {
    const check = (what: string, v: unknown): void => {
      if (Array.isArray(v)) return v.forEach((x, i) => check(`${what}[${i}]`, x));
      if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        for (const k of ["since", "deprecated", "removed", "canonicalUntil", "renamedIn"]) {
          if (k in o) expect(isRelease(o[k]), `${what}.${k} = ${String(o[k])}`).toBe(true);
        }
        if (typeof o.since === "string" && typeof o.removed === "string") {
          expect(Number(o.since.split(".")[1]) < Number(o.removed.split(".")[1]), what).toBe(true);
        }
        for (const [k, x] of Object.entries(o)) check(`${what}.${k}`, x);
      }
    };
    for (const [what, e] of entries) check(what, e);
  });

  it("releases 0.16..0.27 with ISO dates, in order", () => {
    expect(RELEASE_INFO.map((r) => r.version)).toEqual([...RELEASES]);
    for (const r of RELEASE_INFO) expect(r.date).toMatch(/^20\d\d-\d\d-\d\d$/);
    const dates = RELEASE_INFO.map((r) => r.date);
    expect([...dates].sort()).toEqual(dates);
  });

  it("names are unique per file", () => {
    for (const list of [PROBES, BUILTINS, FUNCTIONS, CONFIG_KEYS, TYPES, MAP_KINDS] as readonly (readonly { name: string }[])[]) {
      const names = list.map((x) => x.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it("function signatures are consistent", () => {
    for (const f of FUNCTIONS) {
      expect(f.signatures.length, f.name).toBeGreaterThan(0);
      for (const s of f.signatures) {
        expect(s.minArgs, f.name).toBeLessThanOrEqual(s.maxArgs);
        const required = s.args.filter((a) => !a.optional).length;
        expect(required, f.name).toBe(s.minArgs);
      }
    }
  });
});

describe("probes", () => {
  it("resolves aliases and case rules", () => {
    expect(findProbe("kr")?.probe.name).toBe("kretprobe");
    expect(findProbe("k")?.probe.name).toBe("kprobe");
    expect(findProbe("U")?.probe.name).toBe("usdt");
    expect(findProbe("u")?.probe.name).toBe("uprobe");
    expect(findProbe("ur")?.probe.name).toBe("uretprobe");
    expect(findProbe("t")?.probe.name).toBe("tracepoint");
    expect(findProbe("rt")?.probe.name).toBe("rawtracepoint");
    expect(findProbe("f")?.probe.name).toBe("fentry");
    expect(findProbe("fr")?.probe.name).toBe("fexit");
    expect(findProbe("kfunc")?.probe.name).toBe("fentry");
    expect(findProbe("kretfunc")?.probe.name).toBe("fexit");
    expect(findProbe("p")?.probe.name).toBe("profile");
    expect(findProbe("i")?.probe.name).toBe("interval");
    expect(findProbe("s")?.probe.name).toBe("software");
    expect(findProbe("h")?.probe.name).toBe("hardware");
    expect(findProbe("w")?.probe.name).toBe("watchpoint");
    expect(findProbe("aw")?.probe.name).toBe("asyncwatchpoint");
    expect(findProbe("it")?.probe.name).toBe("iter");
    expect(findProbe("BEGIN")?.probe.name).toBe("begin");
    expect(findProbe("KPROBE")).toMatchObject({ caseFolded: true, probe: { name: "kprobe" } });
    expect(findProbe("nosuch")).toBeUndefined();
  });

  it("models per-spelling availability", () => {
    for (const r of ["0.16", "0.17", "0.23"]) {
      expect(probeAvailable("begin", r)).toBe(false);
      expect(probeAvailable("end", r)).toBe(false);
      expect(probeAvailable("BEGIN", r)).toBe(true);
    }
    for (const r of ["0.24", "0.27"]) {
      expect(probeAvailable("begin", r)).toBe(true);
      expect(probeAvailable("BEGIN", r)).toBe(true);
      expect(probeAvailable("BeGiN", r)).toBe(true);
      expect(probeAvailable("KPROBE", r)).toBe(true);
    }
    expect(probeAvailable("KPROBE", "0.23")).toBe(false);
    expect(probeAvailable("Kr", "0.27")).toBe(false); // aliases are case-sensitive
    expect(probeAvailable("rawtracepoint", "0.17")).toBe(false);
    expect(probeAvailable("rt", "0.18")).toBe(true);
    expect(probeAvailable("self", "0.21")).toBe(false);
    expect(probeAvailable("self", "0.22")).toBe(true);
    expect(probeAvailable("bench", "0.23")).toBe(false);
    expect(probeAvailable("bench", "0.24")).toBe(true);
    expect(probeAvailable("test", "0.24")).toBe(false);
    expect(probeAvailable("test", "0.25")).toBe(true);
    expect(probeAvailable("asyncwatchpoint", "0.24")).toBe(true);
    expect(probeAvailable("aw", "0.25")).toBe(false);
    expect(probeAvailable("fentry", "0.19")).toBe(false);
    expect(probeAvailable("fentry", "0.20")).toBe(true);
    expect(probeAvailable("kfunc", "0.27")).toBe(true);
  });

  it("knows the canonical name per release", () => {
    const fentry = findProbe("f")!.probe;
    expect(canonicalProbeName(fentry, "0.21")).toBe("kfunc");
    expect(canonicalProbeName(fentry, "0.22")).toBe("fentry");
    const begin = findProbe("BEGIN")!.probe;
    expect(canonicalProbeName(begin, "0.23")).toBe("BEGIN");
    expect(canonicalProbeName(begin, "0.24")).toBe("begin");
  });

  it("reproduces the attach-point part-count rules and messages", () => {
    const interval = findProbe("interval")!.probe;
    expect(probePartCounts(interval, "0.17")?.accepted).toEqual([2]);
    expect(probePartCounts(interval, "0.23")?.accepted).toEqual([2]);
    expect(probePartCounts(interval, "0.24")?.accepted).toEqual([1, 2]);
    expect(probePartCountMessage(interval, "0.17", 1)).toBe("interval probe type requires 2 arguments");
    expect(probePartCountMessage(interval, "0.23", 1)).toBe("interval probe type requires 2 arguments, found 1");
    const uprobe = findProbe("uprobe")!.probe;
    expect(probePartCounts(uprobe, "0.17")?.accepted).toEqual([2]); // uprobe:libc:cpp:f fails in 0.17
    expect(probePartCounts(uprobe, "0.19")?.accepted).toEqual([2, 3]);
    expect(probePartCountMessage(uprobe, "0.17", 3)).toBe("uprobe probe type requires 2 arguments");
    expect(probeForms(uprobe, "0.25").some((f) => f.sourceLocation)).toBe(false);
    expect(probeForms(uprobe, "0.26").some((f) => f.sourceLocation)).toBe(true);
    const kprobe = findProbe("kprobe")!.probe;
    expect(probePartCountMessage(kprobe, "0.17", 2)).toBe("kprobe probe type requires 1 argument");
    expect(probePartCountMessage(kprobe, "0.23", 3)).toBe("kprobe probe type requires 1 or 2 arguments, found 3");
    const rt = findProbe("rt")!.probe;
    expect(probePartCountMessage(rt, "0.23", 2)).toBe("rawtracepoint probe type requires 1 arguments, found 2");
    expect(probePartCounts(rt, "0.24")?.accepted).toEqual([1, 2]);
    const fentry = findProbe("fentry")!.probe;
    expect(probeForms(fentry, "0.23").some((f) => f.syntax.startsWith("bpf:"))).toBe(false);
    expect(probeForms(fentry, "0.24").some((f) => f.syntax.startsWith("bpf:"))).toBe(true);
    expect(findProbe("kretprobe")!.probe.isReturn).toBe(true);
    expect(findProbe("uprobe")!.probe.isReturn).toBe(false);
    expect(findProbe("fr")!.probe.isReturn).toBe(true);
  });

  it("part-count messages match every such message in verdicts.json", () => {
    const file = join(CORPUS, "verdicts.json");
    if (!existsSync(file)) {
      console.warn(`SKIP: ${file} missing`);
      return;
    }
    const verdicts = JSON.parse(readFileSync(file, "utf8")).programs as Record<string, Record<string, [string, string]>>;
    let checked = 0;
    for (const v of Object.values(verdicts)) {
      for (const rel of ["0.17", "0.23", "0.27"]) {
        const m = /ERROR: (\w+) probe type requires ([^,\n]+?) arguments?(?:, found (\d+))?$/m.exec(v[rel]?.[1] ?? "");
        if (!m) continue;
        const probe = findProbe(m[1])!.probe;
        expect(probe, m[0]).toBeDefined();
        expect(probePartCountMessage(probe, rel, Number(m[3] ?? 0), m[1]), `${rel}: ${m[0]}`).toBe(m[0].slice("ERROR: ".length));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("lists software/hardware events and their aliases", () => {
    expect(SOFTWARE_EVENTS.find((e) => e.alias === "cs")?.name).toBe("context-switches");
    expect(HARDWARE_EVENTS.find((e) => e.alias === "cycles")?.name).toBe("cpu-cycles");
    expect(SOFTWARE_EVENTS).toHaveLength(11);
    expect(HARDWARE_EVENTS).toHaveLength(10);
  });
});

describe("builtins", () => {
  it("matches families", () => {
    expect(findBuiltin("arg0")?.name).toBe("argN");
    expect(findBuiltin("arg12")?.name).toBe("argN");
    expect(findBuiltin("arg12", "0.23")).toBeUndefined(); // single digit in the flex lexer
    expect(findBuiltin("sarg3")?.name).toBe("sargN");
    expect(findBuiltin("$1")?.name).toBe("$N");
    expect(findBuiltin("$#")?.name).toBe("$#");
    expect(findBuiltin("argx")).toBeUndefined();
  });

  it("knows sarg deprecation/removal and later additions", () => {
    const sarg = findBuiltin("sarg0")!;
    expect(sarg.deprecated).toBe("0.21");
    expect(sarg.removed).toBe("0.25");
    expect(findBuiltin("ncpus")?.since).toBe("0.24");
    expect(findBuiltin("jiffies")?.since).toBe("0.20");
    expect(findBuiltin("probetype")?.since).toBe("0.25");
  });

  it("knows parser-level builtins", () => {
    for (const n of ["args", "ctx", "kstack", "ustack", "nsecs", "pid", "tid", "arg0", "arg17", "sarg1", "__builtin_comm"]) {
      expect(isParserBuiltin(n), n).toBe(true);
    }
    for (const n of ["comm", "cpu", "retval", "probe", "foo"]) expect(isParserBuiltin(n), n).toBe(false);
    expect(isParserBuiltin("comm", "0.23")).toBe(true); // a BUILTIN token of the flex lexer
    expect(isParserBuiltin("ncpus", "0.23")).toBe(false);
  });

  it("restricts probe-specific builtins", () => {
    const retval = findBuiltin("retval")!;
    expect(builtinAllowedIn(retval, "kretprobe")).toBe(true);
    expect(builtinAllowedIn(retval, "kprobe")).toBe(false);
    expect(builtinAllowedIn(findBuiltin("args")!, "tracepoint")).toBe(true);
    expect(builtinAllowedIn(findBuiltin("arg0")!, "tracepoint")).toBe(false);
    expect(builtinAllowedIn(findBuiltin("ctx")!, "tracepoint")).toBe(false);
    expect(builtinAllowedIn(findBuiltin("pid")!, "begin")).toBe(true);
  });
});

describe("functions", () => {
  it("knows when functions appeared", () => {
    expect(isKnownCallName("len", "0.17")).toBe(false);
    expect(isKnownCallName("len", "0.20")).toBe(true);
    expect(isKnownCallName("strcontains", "0.16")).toBe(false);
    expect(isKnownCallName("strcontains", "0.17")).toBe(true);
    expect(isKnownCallName("has_key", "0.21")).toBe(false);
    expect(isKnownCallName("has_key", "0.22")).toBe(true);
    expect(isKnownCallName("nsecs", "0.17")).toBe(false);
    expect(isKnownCallName("nsecs", "0.19")).toBe(true);
    expect(isKnownCallName("comm", "0.23")).toBe(false);
    expect(isKnownCallName("comm", "0.24")).toBe(true);
    expect(isKnownCallName("kstack", "0.16")).toBe(true);
    expect(isKnownCallName("str_concat", "0.26")).toBe(false);
    expect(isKnownCallName("str_concat", "0.27")).toBe(true);
    expect(callRejectedAtParse("foo", "0.23")).toBe(true);
    expect(callRejectedAtParse("foo", "0.24")).toBe(false);
  });

  it("has version-dependent signatures", () => {
    const del = (r: string) => functionSignatureFor("delete", r).map((s) => `${s.minArgs}-${s.maxArgs}`).sort();
    expect(del("0.17")).toEqual(["1-1"]);
    expect(del("0.21")).toEqual(["1-1", "1-128"]);
    expect(del("0.22")).toEqual(["1-1", "2-2"]);
    expect(functionSignatureFor("exit", "0.20").map((s) => s.maxArgs)).toEqual([0]);
    expect(functionSignatureFor("exit", "0.21").map((s) => s.maxArgs)).toEqual([1]);
    expect(functionSignatureFor("hist", "0.19")[0].maxArgs).toBe(1);
    expect(functionSignatureFor("hist", "0.20")[0].maxArgs).toBe(2);
    expect(functionSignatureFor("len", "0.17")).toEqual([]);
    expect(functionSignatureFor("nsecs", "0.19")[0].maxArgs).toBe(1);
    expect(functionSignatureFor("comm", "0.24")[0].maxArgs).toBe(0);
    expect(functionSignatureFor("comm", "0.25")[0].maxArgs).toBe(1);
    expect(findFunction("printf")?.signatures[0].args[0].kind).toBe("format");
  });

  it("flags aggregations", () => {
    for (const n of ["count", "sum", "avg", "min", "max", "stats", "hist", "lhist", "tseries"]) {
      expect(isAggregationFunction(n), n).toBe(true);
    }
    expect(isAggregationFunction("printf")).toBe(false);
    expect(findFunction("system")?.unsafe).toBe(true);
  });

  const corpus = (() => {
    const file = join(CORPUS, "verdicts.json");
    if (!existsSync(file)) return undefined;
    const verdicts = JSON.parse(readFileSync(file, "utf8")).programs as Record<string, Record<string, [string, string]>>;
    const cases = new Map<string, string>();
    for (const f of ["parser_cases.json", "attachpoint_cases.json"]) {
      const p = join(CORPUS, f);
      if (!existsSync(p)) continue;
      const data = JSON.parse(readFileSync(p, "utf8"));
      const list: { name: string; program: string }[] = Array.isArray(data) ? data : (data.cases ?? Object.values(data));
      for (const c of list) if (c && typeof c.program === "string") cases.set(`${f}#${c.name}`, c.program);
    }
    const program = (key: string): string | undefined => {
      if (cases.has(key)) return cases.get(key);
      const p = join(CORPUS, key);
      return existsSync(p) ? readFileSync(p, "utf8") : undefined;
    };
    return { verdicts, program };
  })();

  it.skipIf(!corpus)("every 'Unknown function: X' of 0.17/0.23 in verdicts.json is unknown in our data", () => {
    let n = 0;
    for (const v of Object.values(corpus!.verdicts)) {
      for (const rel of ["0.17", "0.23"]) {
        const m = /ERROR: Unknown function: (\w+)$/m.exec(v[rel]?.[1] ?? "");
        if (!m) continue;
        expect(callRejectedAtParse(m[1], rel), `${rel} ${m[1]}`).toBe(true);
        n++;
      }
    }
    expect(n).toBeGreaterThan(50);
  });

  it.skipIf(!corpus)("no call in a program that 0.17/0.23 accepted is unknown in that release", () => {
    const strip = (src: string) =>
      src
        .replace(/\/\*[\s\S]*?\*\//g, " ")
        .replace(/\/\/[^\n]*/g, " ")
        .replace(/"(?:[^"\\\n]|\\.)*"/g, '""')
        .replace(/^#[^\n]*/gm, " ")
        // C definitions (struct/union/enum bodies) hold C, not bpftrace calls.
        .replace(/\b(?:struct|union|enum)\s+\w+\s*\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}/g, " ");
    let checked = 0;
    const bad: string[] = [];
    for (const [key, v] of Object.entries(corpus!.verdicts)) {
      for (const rel of ["0.17", "0.23"]) {
        if (v[rel]?.[0] !== "ok") continue;
        const text = corpus!.program(key);
        if (text === undefined) continue;
        checked++;
        // Not after `fn`/`macro` (definitions), `.`/`->` (fields), sigils.
        for (const m of strip(text).matchAll(/(?<![\w$@.>]|\b(?:fn|macro)\s+)([a-z_][a-z0-9_]*)\s*\(/g)) {
          const name = m[1];
          // `if (`, `while (`, casts like `(uint8)(...)`, probe text before `{` are not calls.
          if (["if", "while", "unroll", "for", "return", "else"].includes(name)) continue;
          if (callRejectedAtParse(name, rel)) bad.push(`${rel} ${key}: ${name}(`);
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
    expect(bad).toEqual([]);
  });
});

describe("config", () => {
  it("normalises case and prefix", () => {
    expect(findConfigKey("BPFTRACE_STACK_MODE")?.name).toBe("stack_mode");
    expect(findConfigKey("Stack_Mode")?.name).toBe("stack_mode");
    expect(findConfigKey("nope")).toBeUndefined();
  });

  it("knows renames, env-only and deprecated keys per release", () => {
    expect(findConfigKey("strlen")?.renamedTo).toBe("max_strlen");
    expect(findConfigKey("no_cpp_demangle")?.renamedTo).toBe("cpp_demangle");
    expect(findConfigKey("cat_bytes_max")?.renamedTo).toBe("max_cat_bytes");
    expect(findConfigKey("map_keys_max")?.renamedTo).toBe("max_map_keys");
    expect(configKeyStatus("strlen", "0.23")).toMatchObject({ status: "unknown", message: "Unrecognized config variable: strlen" });
    expect(configKeyStatus("strlen", "0.27")).toMatchObject({ status: "renamed", message: "strlen has been renamed, please use max_strlen" });
    expect(configKeyStatus("blah", "0.27")).toMatchObject({ status: "unknown", message: "blah: not a known configuration option" });
    expect(configKeyStatus("btf", "0.23").message).toBe("btf can only be set as an environment variable");
    expect(configKeyStatus("btf", "0.27").message).toBe("btf: can only be set as an environment variable");
    expect(configKeyStatus("symbol_source", "0.27")).toMatchObject({ status: "deprecated", message: "symbol_source is deprecated and has no effect" });
    expect(configKeyStatus("unstable_macro", "0.23").status).toBe("unknown");
    expect(configKeyStatus("license", "0.23").status).toBe("unknown");
    expect(configKeyStatus("license", "0.27").status).toBe("ok");
    expect(configKeyStatus("probe_inline", "0.23").status).toBe("ok");
    expect(configKeyStatus("probe_inline", "0.27").status).toBe("unknown");
    expect(configKeyStatus("max_ast_nodes", "0.27").status).toBe("unknown");
    expect(configKeyStatus("BPFTRACE_MAX_STRLEN", "0.20").status).toBe("ok");
    expect(configKeyStatus("max_strlen", "0.19").status).toBe("no-config");
  });

  it("agrees with every config message in verdicts.json", () => {
    const file = join(CORPUS, "verdicts.json");
    if (!existsSync(file)) {
      console.warn(`SKIP: ${file} missing`);
      return;
    }
    const verdicts = JSON.parse(readFileSync(file, "utf8")).programs as Record<string, Record<string, [string, string]>>;
    let n = 0;
    for (const v of Object.values(verdicts)) {
      for (const rel of ["0.17", "0.23", "0.27"]) {
        const m = /ERROR: (?:(\w+): not a known configuration option|Unrecognized config variable: (\w+))/.exec(v[rel]?.[1] ?? "");
        if (!m) continue;
        const key = m[1] ?? m[2];
        expect(configKeyStatus(key, rel).message, rel).toBe(m[0].slice("ERROR: ".length));
        n++;
      }
    }
    expect(n).toBeGreaterThan(0);
  });
});

describe("types and maps", () => {
  it("knows type renames of 0.22", () => {
    expect(typeAvailable("str_t", "0.21")).toBe(true);
    expect(typeAvailable("str_t", "0.22")).toBe(false);
    expect(typeAvailable("string", "0.21")).toBe(false);
    expect(typeAvailable("string", "0.22")).toBe(true);
    expect(typeAvailable("inet_t", "0.18")).toBe(true);
    expect(typeAvailable("timestamp", "0.27")).toBe(true);
    expect(typeAvailable("uint64", "0.16")).toBe(true);
    expect(typeAvailable("username_t", "0.23")).toBe(false);
    expect(typeAvailable("username_t", "0.24")).toBe(true);
    expect(typeAvailable("nosuch_t", "0.27")).toBe(false);
  });

  it("knows map kinds", () => {
    expect(MAP_KINDS.map((m) => m.name).sort()).toEqual(["hash", "lruhash", "percpuhash", "percpulruhash"]);
    expect(mapKindAvailable("lruhash", "0.23")).toBe(false);
    expect(mapKindAvailable("lruhash", "0.24")).toBe(true);
  });
});
