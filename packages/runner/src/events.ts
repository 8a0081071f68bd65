/**
 * bpftrace's `-f json` output, validated with zod and normalised into one stable shape.
 *
 * bpftrace prints one JSON object per line (`{"type": …, "data": …}`), but the shape of `data`
 * depends on the map: a scalar map gives its value, a keyed map an object keyed by the joined
 * key text; `avg()` maps arrive as type `stats` with a plain number; histogram buckets have an
 * inclusive `min`/`max`, with `min` missing on the first open bucket and `max` on the last.
 * Releases 0.17–0.27 all print the same shapes (0.27 adds `count` to `attached_probes`).
 */
import { z } from "zod";

const scalar = z.union([z.number(), z.string(), z.boolean(), z.null()]);
const anyValue: z.ZodType<unknown> = z.unknown();

const bucketSchema = z.object({ min: z.number().optional(), max: z.number().optional(), count: z.number() });
const bucketsSchema = z.array(bucketSchema);
const statsSchema = z.object({ count: z.number(), average: z.number(), total: z.number() }).strict();

/** The envelope every bpftrace JSON line has. */
const rawEventSchema = z.object({ type: z.string(), data: anyValue.optional() }).passthrough();
export type RawEvent = z.infer<typeof rawEventSchema>;

const attachedData = z.object({ probes: z.number() });
const lostData = z.object({ events: z.number() });
/** `{"@name": value}` with exactly one map per event. */
const oneMap = z.record(z.string(), anyValue).refine((o) => Object.keys(o).length === 1, "expected one map per event");

/** One histogram bucket: bounds are inclusive; `null` means unbounded on that side. */
export interface Bucket {
  min: number | null;
  max: number | null;
  count: number;
}

/** A map key as bpftrace prints it (`"a"`, `"1,k"` for `@m[1, "k"]`), or `null` for a map without keys. */
export type MapKey = string | null;

export type TimeUnit = "ns" | "us" | "ms" | "s";

export type NormalizedEvent =
  | { type: "attached"; probes: number }
  /** Text an action printed: `printf`, `time`, `join`, `cat`, `system` (`kind` says which). */
  | { type: "text"; kind: string; text: string }
  /** `print(value)` of a non-map value. */
  | { type: "value"; value: unknown }
  | { type: "map"; map: string; entries: { key: MapKey; value: unknown }[] }
  | { type: "hist"; map: string; unit?: TimeUnit; entries: { key: MapKey; buckets: Bucket[] }[] }
  | { type: "stats"; map: string; entries: { key: MapKey; count: number; average: number; total: number }[] }
  | { type: "lost"; events: number }
  /** A stdout line that is not JSON (output of `system()` without `-f json` support, for example). */
  | { type: "line"; text: string }
  /** A JSON event of a type this version of bt-run does not know, kept as bpftrace sent it. */
  | { type: "other"; raw: unknown };

/** Options that add knowledge bpftrace's JSON lacks (units inferred from the script). */
export interface NormalizeOptions {
  units?: ReadonlyMap<string, TimeUnit>;
}

const TEXT_TYPES = new Set(["printf", "time", "join", "cat", "syscall", "system"]);

/**
 * Turns one stdout line of `bpftrace -f json` into normalised events (usually one; none for
 * blank lines). Never throws: a line that is not valid JSON becomes a `line` event and an
 * unexpected shape an `other` event.
 */
export function normalizeLine(line: string, options: NormalizeOptions = {}): NormalizedEvent[] {
  const text = line.replace(/\r?\n$/, "");
  if (text.trim() === "") return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [{ type: "line", text }];
  }
  const env = rawEventSchema.safeParse(json);
  if (!env.success) return [{ type: "other", raw: json }];
  return normalizeEvent(env.data, options);
}

export function normalizeEvent(event: RawEvent, options: NormalizeOptions = {}): NormalizedEvent[] {
  const other = (): NormalizedEvent[] => [{ type: "other", raw: event }];
  const { type, data } = event;
  if (type === "attached_probes") {
    const d = attachedData.safeParse(data);
    return d.success ? [{ type: "attached", probes: d.data.probes }] : other();
  }
  if (type === "lost_events") {
    const d = lostData.safeParse(data);
    return d.success ? [{ type: "lost", events: d.data.events }] : other();
  }
  if (TEXT_TYPES.has(type)) {
    return typeof data === "string" ? [{ type: "text", kind: type, text: data }] : other();
  }
  if (type === "value") return [{ type: "value", value: data }];
  if (type !== "map" && type !== "hist" && type !== "stats") return other();

  const m = oneMap.safeParse(data);
  if (!m.success) return other();
  const [map, body] = Object.entries(m.data)[0];
  const unit = options.units?.get(map);

  if (type === "hist") {
    const single = bucketsSchema.safeParse(body);
    if (single.success) return [{ type: "hist", map, ...(unit && { unit }), entries: [{ key: null, buckets: single.data.map(toBucket) }] }];
    const keyed = z.record(z.string(), bucketsSchema).safeParse(body);
    if (!keyed.success) return other();
    const entries = Object.entries(keyed.data).map(([key, b]) => ({ key, buckets: b.map(toBucket) }));
    return [{ type: "hist", map, ...(unit && { unit }), entries }];
  }

  if (type === "stats") {
    // `avg()` maps come as `stats` with plain numbers; they are ordinary value maps.
    if (typeof body === "number") return [{ type: "map", map, entries: [{ key: null, value: body }] }];
    const single = statsSchema.safeParse(body);
    if (single.success) return [{ type: "stats", map, entries: [{ key: null, ...single.data }] }];
    const keyedAvg = z.record(z.string(), z.number()).safeParse(body);
    if (keyedAvg.success) {
      return [{ type: "map", map, entries: Object.entries(keyedAvg.data).map(([key, value]) => ({ key, value })) }];
    }
    const keyed = z.record(z.string(), statsSchema).safeParse(body);
    if (!keyed.success) return other();
    return [{ type: "stats", map, entries: Object.entries(keyed.data).map(([key, s]) => ({ key, ...s })) }];
  }

  // type === "map": a scalar (or tuple/array) value for a map without keys, else an object by key.
  if (scalar.safeParse(body).success || Array.isArray(body)) return [{ type: "map", map, entries: [{ key: null, value: body }] }];
  if (typeof body === "object" && body !== null) {
    return [{ type: "map", map, entries: Object.entries(body).map(([key, value]) => ({ key, value })) }];
  }
  return other();
}

function toBucket(b: z.infer<typeof bucketSchema>): Bucket {
  return { min: b.min ?? null, max: b.max ?? null, count: b.count };
}
