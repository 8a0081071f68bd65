import { language } from "@bt/parser";
import functionsJson from "../../../../grammar/data/functions.json" with { type: "json" };

/** printf-style format strings as bpftrace reads them. */
export interface Specifier {
  /** Text as written, e.g. `%-16s`. */
  text: string;
  /** Conversion: `d i u o x X c s p e f g r rx rh gr …`. */
  conversion: string;
  /** Offset of the `%` in the string value. */
  index: number;
}

/**
 * bpftrace's own specifier pattern (src/format_string.cpp): flags in this order, each at most once.
 * A `%` where it does not match is printed as it is (`"90% done"`), not an error.
 */
const SPEC = /%-?\+? ?#?0?(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlLjzt]*([diouxXeEfFGaAcspn%]|gr|g|rh|rx|r)/g;

export function parseFormat(value: string): { specifiers: Specifier[]; invalid: string[] } {
  const specifiers: Specifier[] = [];
  const invalid: string[] = [];
  SPEC.lastIndex = 0;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = SPEC.exec(value))) {
    const between = value.slice(last, m.index);
    const stray = between.indexOf("%");
    if (stray >= 0) invalid.push(between.slice(stray, stray + 3));
    last = m.index + m[0].length;
    if (m[1] === "%") continue;
    specifiers.push({ text: m[0], conversion: m[1], index: m.index });
  }
  const tail = value.slice(last);
  if (tail.includes("%")) invalid.push(tail.slice(tail.indexOf("%"), tail.indexOf("%") + 3));
  return { specifiers, invalid };
}

export const INTEGER_CONVERSIONS = new Set(["d", "i", "u", "o", "x", "X", "c"]);
/** Conversions that print an integer as a number (not `%x`/`%p`, which are fine for pointers). */
export const DECIMAL_CONVERSIONS = new Set(["d", "i", "u", "c"]);
/** Functions taking a format string (`printf system cat errorf warnf debugf fail`): those with a `format` argument in the language data. */
export const FORMAT_FUNCTIONS: ReadonlySet<string> = new Set(
  language.FUNCTIONS.filter((f) => f.signatures.some((s) => s.args.some((a) => a.kind === "format"))).map((f) => f.name),
);

/** C conversions bpftrace refuses in every format string (no floating point): language data. */
export const UNSUPPORTED_CONVERSIONS: ReadonlySet<string> = new Set(functionsJson.unsupportedFormatConversions.values);

/** The conversions a function's format takes when it takes only some (`debugf`: bpf_trace_printk's), from the language data. */
export function allowedConversions(fn: string): ReadonlySet<string> | undefined {
  return CONVERSIONS_BY_FUNCTION.get(fn);
}
const CONVERSIONS_BY_FUNCTION = new Map(
  language.FUNCTIONS.flatMap((f) => {
    const format = f.signatures[0]?.args.find((a) => a.kind === "format") as { conversions?: string[] } | undefined;
    return format?.conversions ? [[f.name, new Set(format.conversions)] as const] : [];
  }),
);
