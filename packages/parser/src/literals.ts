/** Integer and string literal rules of bpftrace (grammar reference §2.5, §2.7). */

const UINT64_MAX = (1n << 64n) - 1n;

const DURATION_SCALE: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
};

const INTEGER_SUFFIXES = new Set(["u", "ul", "ull", "l", "ll"]);

export function isDurationSuffix(suffix: string | undefined): boolean {
  return suffix !== undefined && Object.hasOwn(DURATION_SCALE, suffix);
}

export interface IntegerResult {
  value?: string;
  suffix?: string;
  error?: string;
}

/** Plain decimals up to 15 digits, by far the most common literal: their value is their text. */
const PLAIN_DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;

export function integerValue(raw: string): IntegerResult {
  if (PLAIN_DECIMAL.test(raw)) return { value: raw };
  if (/^0[xX]/.test(raw)) {
    const digits = raw.slice(2);
    if (digits.length === 0 || digits.endsWith("_")) return { error: digits ? "trailing underscore in integer literal" : `invalid integer literal: ${raw}` };
    // Attach-point parts reach here unlexed (`0x10}`): anything after the hex digits is trailing text.
    if (!/^[0-9A-Fa-f_]+$/.test(digits)) return { error: `invalid trailing bytes: ${raw}` };
    const value = BigInt("0x" + digits.replaceAll("_", ""));
    if (value > UINT64_MAX) return { error: `integer literal ${raw} is out of range` };
    return { value: value.toString() };
  }
  let i = 0;
  while (i < raw.length && /[0-9_]/.test(raw[i])) i++;
  const coefficient = raw.slice(0, i);
  let exponent: string | undefined;
  if ((raw[i] === "e" || raw[i] === "E") && /[0-9_]/.test(raw[i + 1] ?? "")) {
    let j = i + 1;
    while (j < raw.length && /[0-9_]/.test(raw[j])) j++;
    exponent = raw.slice(i + 1, j);
    i = j;
  }
  const rest = raw.slice(i);
  if (coefficient.endsWith("_") || exponent?.endsWith("_")) return { error: "trailing underscore in integer literal" };
  let suffix: string | undefined;
  if (rest.length > 0) {
    if (isDurationSuffix(rest) || INTEGER_SUFFIXES.has(rest)) suffix = rest;
    else {
      const known = /^(ull|ul|us|u|ll|l|ns|ms|s|m|h|d)/.exec(rest);
      if (known) return { error: `invalid integer suffix '${rest.slice(known[0].length)}'` };
      if (/^[uUlL]+$/.test(rest)) return { error: `invalid trailing bytes: ${raw}` };
      return { error: `invalid integer suffix '${rest}'` };
    }
  }
  const digits = coefficient.replaceAll("_", "");
  let value: bigint;
  if (exponent !== undefined) {
    if (!/^[1-9]$/.test(digits)) return { error: "coefficient part of scientific literal must be 1-9" };
    const exp = Number(exponent.replaceAll("_", ""));
    if (exp > 20) return { error: `integer literal ${raw} is out of range` };
    value = BigInt(digits) * 10n ** BigInt(exp);
  } else if (digits.length > 1 && digits.startsWith("0")) {
    if (/[89]/.test(digits)) return { error: `invalid trailing bytes: ${raw}` };
    value = BigInt("0o" + digits.slice(1));
  } else {
    value = BigInt(digits);
  }
  if (isDurationSuffix(suffix)) value *= DURATION_SCALE[suffix!];
  if (value > UINT64_MAX) return { error: `integer literal ${raw} is out of range` };
  return { value: value.toString(), suffix };
}

export interface StringResult {
  value: string;
  error?: string;
}

export function stringValue(raw: string): StringResult {
  const body = raw.slice(1, -1);
  let escape = body.indexOf("\\");
  if (escape < 0) return { value: body };
  // The text between escapes is copied a run at a time (a format string is mostly such text).
  let out = "";
  let from = 0;
  for (; escape >= 0; escape = body.indexOf("\\", from)) {
    out += body.slice(from, escape);
    let i = escape + 1;
    const e = body[i];
    switch (e) {
      case "n": out += "\n"; break;
      case "t": out += "\t"; break;
      case "r": out += "\r"; break;
      case '"': out += '"'; break;
      case "\\": out += "\\"; break;
      case "x":
      case "X": {
        const m = /^[0-9A-Fa-f]{1,2}/.exec(body.slice(i + 1));
        if (!m) return { value: out, error: `invalid escape character '\\${e}'` };
        out += String.fromCharCode(parseInt(m[0], 16));
        i += m[0].length;
        break;
      }
      default: {
        const m = /^[0-7]{1,3}/.exec(body.slice(i));
        if (!m) return { value: out, error: `invalid escape character '\\${e ?? ""}'` };
        const code = parseInt(m[0], 8);
        if (code > 255) return { value: out, error: `octal escape sequence out of range '\\${m[0]}'` };
        out += String.fromCharCode(code);
        i += m[0].length - 1;
      }
    }
    from = i + 1;
  }
  return { value: out + body.slice(from) };
}
