import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeLine, type NormalizedEvent } from "./events.ts";

// Recorded here with the real binaries: `bpftrace-X -f json -q __fixtures__/json/all-maps.bt` and
// `bpftrace-X -f json __fixtures__/lifetime-portable.bt` (stopped with SIGINT after a few commands).
const dir = join(import.meta.dirname, "__fixtures__", "json");
const events = (file: string): NormalizedEvent[] =>
  readFileSync(join(dir, file), "utf8").split("\n").flatMap((l) => normalizeLine(l));

describe.each(["0.17", "0.23", "0.27"])("all map kinds, recorded from bpftrace %s", (release) => {
  const evs = events(`all-maps-${release}.ndjson`);
  const byMap = (name: string) => evs.find((e) => "map" in e && e.map === name);

  it("keeps printed text in order, with END's output last", () => {
    const texts = evs.filter((e) => e.type === "text").map((e) => (e as { text: string }).text);
    expect(texts[0]).toBe("hello 42\n");
    expect(texts[1]).toMatch(/^\d{4}\n$/);
    expect(texts.at(-1)).toBe("end\n");
    expect(evs.filter((e) => e.type === "value")).toEqual([
      { type: "value", value: 5 },
      { type: "value", value: [1, "two"] },
    ]);
  });

  it("gives every map entries with keys (null for maps without keys)", () => {
    expect(byMap("@c")).toEqual({ type: "map", map: "@c", entries: [{ key: null, value: 1 }] });
    expect(byMap("@s")).toEqual({ type: "map", map: "@s", entries: [{ key: "a", value: 5 }, { key: "b", value: 7 }] });
    expect(byMap("@m2")).toEqual({ type: "map", map: "@m2", entries: [{ key: "1,k", value: 3 }] });
    expect(byMap("@str")).toEqual({ type: "map", map: "@str", entries: [{ key: null, value: "text" }] });
    // avg() arrives as `stats` with a plain number: normalised to an ordinary map.
    expect(byMap("@a")).toEqual({ type: "map", map: "@a", entries: [{ key: null, value: 10 }] });
    expect(byMap("@ak")).toEqual({ type: "map", map: "@ak", entries: [{ key: "1", value: 4 }] });
  });

  it("gives histogram buckets explicit bounds, null where open", () => {
    const h = byMap("@h");
    expect(h?.type).toBe("hist");
    if (h?.type !== "hist") return;
    expect(h.entries).toHaveLength(1);
    expect(h.entries[0].key).toBeNull();
    expect(h.entries[0].buckets[0]).toEqual({ min: null, max: -1, count: 1 });
    expect(h.entries[0].buckets[1]).toEqual({ min: 0, max: 0, count: 1 });
    expect(h.entries[0].buckets.at(-1)).toEqual({ min: 4096, max: 8191, count: 1 });
    const l = byMap("@l");
    if (l?.type !== "hist") throw new Error("@l is not a hist");
    expect(l.entries[0].buckets.at(-1)).toEqual({ min: 100, max: null, count: 1 });
    const hk = byMap("@hk");
    if (hk?.type !== "hist") throw new Error("@hk is not a hist");
    expect(hk.entries).toEqual([
      { key: "x", buckets: [{ min: 512, max: 1023, count: 1 }] },
      { key: "y", buckets: [{ min: 1048576, max: 2097151, count: 1 }] },
    ]);
  });

  it("normalises stats, with and without keys", () => {
    expect(byMap("@st")).toEqual({ type: "stats", map: "@st", entries: [{ key: null, count: 2, average: 15, total: 30 }] });
    expect(byMap("@sk")).toEqual({
      type: "stats",
      map: "@sk",
      entries: [
        { key: "p", count: 1, average: 1, total: 1 },
        { key: "q", count: 1, average: 9, total: 9 },
      ],
    });
  });

  it("knows every event type in the recording", () => {
    expect(evs.filter((e) => e.type === "other" || e.type === "line")).toEqual([]);
  });
});

describe.each(["0.17", "0.27"])("process lifetimes, recorded from bpftrace %s", (release) => {
  const evs = events(`lifetime-${release}.ndjson`);
  it("starts with the attached-probes event and has one histogram per command name", () => {
    expect(evs[0]).toEqual({ type: "attached", probes: 3 });
    const hist = evs.find((e) => e.type === "hist");
    if (hist?.type !== "hist") throw new Error("no histogram");
    expect(hist.map).toBe("@lifetime_hist");
    const keys = hist.entries.map((e) => e.key);
    expect(keys).toContain("python3");
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of hist.entries) for (const b of e.buckets) expect(b.min! <= b.max!).toBe(true);
  });
  it("attaches units passed in from the script analysis", () => {
    const line = readFileSync(join(dir, `lifetime-${release}.ndjson`), "utf8").split("\n").find((l) => l.includes('"hist"'))!;
    const [ev] = normalizeLine(line, { units: new Map([["@lifetime_hist", "ns"]]) });
    expect(ev.type === "hist" && ev.unit).toBe("ns");
  });
});

describe("lines that are not bpftrace events", () => {
  it("keeps non-JSON text and unknown event types instead of throwing", () => {
    expect(normalizeLine("")).toEqual([]);
    expect(normalizeLine("plain output")).toEqual([{ type: "line", text: "plain output" }]);
    expect(normalizeLine('{"type": "future_thing", "data": 1}')).toEqual([
      { type: "other", raw: { type: "future_thing", data: 1 } },
    ]);
    expect(normalizeLine('{"type": "hist", "data": {"@h": 3}}')[0].type).toBe("other");
    expect(normalizeLine('{"type": "attached_probes", "count": 2, "data": {"probes": 2}}')).toEqual([{ type: "attached", probes: 2 }]);
    expect(normalizeLine('{"type": "lost_events", "data": {"events": 12}}')).toEqual([{ type: "lost", events: 12 }]);
  });
});
