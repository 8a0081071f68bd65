import type * as A from "./ast.ts";
import type { ReleaseChecker } from "./checks.ts";
import { compareReleases } from "./versions.ts";
import { integerValue, isDurationSuffix } from "./literals.ts";
import { providerAvailability } from "./providers.ts";
import { findProbe, probeForms, probePartCounts, probePartCountMessage } from "./language/index.ts";

function hasWildcard(text: string): boolean {
  return text.includes("*") || (text.includes("[") && text.includes("]"));
}

/** Checks `$1`-style parameters in an attach point; false when the rest cannot be checked. */
function checkParameters(ap: A.AttachPoint, c: ReleaseChecker): boolean {
  if (/^\$[0-9]+$/.test(ap.raw)) {
    // The whole attach point is a parameter: without one, nothing is left to attach to.
    c.error(ap.range, "No attach points for probe", "attach-point");
    return false;
  }
  const unquoted = ap.raw.replace(/"[^"]*"/g, "");
  if (/\$[0-9]/.test(unquoted)) {
    checkPositionals(ap, c);
    // Without parameters, a parameter in the provider expands to nothing.
    const provider = ap.provider.raw.replace(/\$[0-9]+/g, "");
    if (provider !== ap.provider.raw && !hasWildcard(provider) && !findProbe(provider)) {
      c.error(ap.provider.range, `Invalid probe type: ${provider}`, "attach-point");
    }
    // Positional parameters are substituted at run time; the parts are not known yet.
    return false;
  }
  const badPositional = /\$([^0-9]|0)/.exec(unquoted);
  if (badPositional) {
    c.error(ap.range, `invalid trailing character for positional param: ${badPositional[1]}. Try quoting this entire part if this is intentional e.g. "$${badPositional[1]}".`, "attach-point");
    return false;
  }
  return true;
}

/** bpftrace's AttachPointParser checks, for the target release. */
export function checkAttachPoint(ap: A.AttachPoint, probe: A.Probe, c: ReleaseChecker): void {
  const target = c.target;
  if (ap.probeName) c.use("named-probe", ap.probeName.range);
  if (ap.raw.includes("$") && !checkParameters(ap, c)) return;
  const provider = ap.provider.value;
  if (provider === "") {
    c.error(ap.range, "No attach points for probe", "attach-point");
    return;
  }
  const canonical = ap.providerCanonical;
  if (!canonical) {
    if (hasWildcard(provider)) return;
    c.error(ap.provider.range, `Invalid probe type: ${provider}`, "attach-point");
    return;
  }
  const availability = providerAvailability(provider, target);
  if (availability) {
    c.error(ap.provider.range, availability, "version");
    return;
  }
  const probeInfo = findProbe(provider)!.probe;
  const rule = probePartCounts(probeInfo, target);
  let found = ap.parts.length;
  const p = ap.parts;

  if (canonical === "begin" || canonical === "end") {
    if (found === 1 && p[0].value === "*") return;
  }
  if (canonical === "tracepoint" && found === 1 && hasWildcard(p[0].value)) return;
  if ((canonical === "uprobe" || canonical === "uretprobe") && ap.sourceFile) {
    checkSourceLocation(ap, c);
    return;
  }
  if ((canonical === "uprobe" || canonical === "uretprobe") && found >= 2) {
    // `::` in an unquoted C++ name splits into empty parts.
    if (p.some((part) => part.value === "")) {
      found = p.length;
    }
  }
  if (ap.language && compareReleases(target, "0.19") < 0) {
    // Older releases only count parts; name the real problem instead.
    c.use("uprobe-cpp", ap.language.range);
    return;
  }
  // With `-p PID`, uprobes and usdt may leave out the binary (`uprobe:func`).
  const pidForm = c.withPid && probeForms(probeInfo, target, true).some((f) => f.requiresPid && f.parts === found);
  if (rule && !rule.accepted.includes(found) && !pidForm) {
    c.error(ap.range, probePartCountMessage(probeInfo, target, found)!, "attach-point");
    return;
  }
  switch (canonical) {
    case "kretprobe":
    case "uretprobe":
    case "fexit":
      if (ap.offset) c.error(ap.range, "Offset not allowed", "attach-point");
      break;
    case "uprobe":
      if (ap.target?.value.includes("+")) c.use("plus-in-path", ap.target.range);
      if (ap.language) {
        c.use("uprobe-cpp", ap.language.range);
      }
      break;
    case "iter":
      if (compareReleases(target, "0.24") < 0) {
        if (ap.parts[0] && hasWildcard(ap.parts[0].value)) c.error(ap.range, "iter probe type does not support wildcards", "attach-point");
        break;
      }
      if (hasWildcard(ap.raw)) c.error(ap.range, "iter probe type does not support wildcards", "attach-point");
      else if (probe.attachPoints.length > 1) c.error(ap.range, "iter probe only supports one attach point.", "attach-point");
      break;
    case "profile":
    case "interval":
      checkRate(ap, canonical, c);
      break;
    case "software":
    case "hardware":
      if (ap.count) {
        const v = integerValue(ap.count.value);
        if (v.error || v.suffix) c.error(ap.count.range, `Invalid count for ${canonical} probe: ${v.error ?? `invalid trailing bytes: ${ap.count.value}`}`, "attach-point");
      }
      break;
    default:
      break;
  }
  if (canonical === "watchpoint" || canonical === "asyncwatchpoint") {
    const addr = ap.address ?? ap.func;
    if (addr && /^[0-9]/.test(addr.value)) {
      const v = integerValue(addr.value);
      if (v.error || v.suffix) c.error(addr.range, `Invalid function/address argument: ${v.error ?? `invalid trailing bytes: ${addr.value}`}`, "attach-point");
    }
    if (ap.length) {
      const v = integerValue(ap.length.value);
      if (v.error || v.suffix) c.error(ap.length.range, `Invalid length argument: ${v.error ?? `invalid trailing bytes: ${ap.length.value}`}`, "attach-point");
    }
  }
  if (ap.address && ap.target && hasWildcard(ap.target.value)) {
    c.error(ap.range, "Cannot use wildcards with absolute address", "attach-point");
  }
  if (ap.offset) {
    const v = integerValue(ap.offset.value);
    if (v.error) c.error(ap.offset.range, `Invalid offset: ${v.error}`, "attach-point");
  }
}

function checkRate(ap: A.AttachPoint, provider: string, c: ReleaseChecker): void {
  const count = ap.count;
  if (!count) return;
  const old = compareReleases(c.target, "0.24") < 0;
  if (ap.unit) {
    const v = integerValue(count.value);
    if (v.error || (v.suffix && !old)) {
      c.error(count.range, old ? "Found trailing non-numeric characters" : `Invalid rate of ${provider} probe: ${v.error ?? `invalid trailing bytes: ${count.value}`}`, "attach-point");
    } else if (old && v.suffix) {
      c.error(count.range, "Found trailing non-numeric characters", "attach-point");
    }
    return;
  }
  const v = integerValue(count.value);
  if (v.error) {
    c.error(count.range, `Invalid rate of ${provider} probe: ${/^[0-9]/.test(count.value) ? v.error : `invalid integer: ${count.value}`}`, "attach-point");
    return;
  }
  if (v.suffix && !isDurationSuffix(v.suffix)) {
    c.error(count.range, `Invalid rate of ${provider} probe: invalid trailing bytes: ${count.value}`, "attach-point");
    return;
  }
  if (BigInt(v.value ?? "0") < 1000n) {
    c.error(count.range, `Invalid rate of ${provider} probe. Minimum is 1000 or 1us. Found: ${count.value}`, "attach-point");
  }
}

function checkSourceLocation(ap: A.AttachPoint, c: ReleaseChecker): void {
  c.use("uprobe-source-location", ap.sourceFile!.range);
  if (ap.providerCanonical === "uretprobe") {
    c.error(ap.range, "Source code location not allowed", "attach-point");
    return;
  }
  if (!ap.target || ap.target.value === "") {
    c.error(ap.range, "Unspecified target binary, cannot attach by source code location", "attach-point");
    return;
  }
  if (hasWildcard(ap.target.value) || hasWildcard(ap.sourceFile!.value)) {
    c.error(ap.range, "Cannot use wildcards with source code location", "attach-point");
    return;
  }
  const line = ap.sourceLine;
  if (!line || ap.parts.length > 3 || ap.sourceFile!.value === "") {
    c.error(ap.range, "Invalid uprobe arguments, expected format: uprobe:TARGET@FILE:LINE[:COLUMN]", "attach-point");
    return;
  }
  if (!/^[0-9]+$/.test(line.value)) {
    c.error(line.range, `Invalid line number: invalid integer: ${line.value}`, "attach-point");
    return;
  }
  if (ap.sourceColumn && !/^[0-9]+$/.test(ap.sourceColumn.value)) {
    c.error(ap.sourceColumn.range, `Invalid column number: invalid integer: ${ap.sourceColumn.value}`, "attach-point");
  }
}

function checkPositionals(ap: A.AttachPoint, c: ReleaseChecker): void {
  const outside = ap.raw.replace(/"[^"]*"/g, (m) => " ".repeat(m.length));
  for (const m of outside.matchAll(/\$([0-9]+)/g)) {
    if (m[1] === "0") {
      c.error(ap.range, `invalid trailing character for positional param: 0. Try quoting this entire part if this is intentional e.g. "$0".`, "attach-point");
      return;
    }
    if (BigInt(m[1]) > 9223372036854775807n) {
      c.error(ap.range, `positional parameter is not valid: overflow error, maximum value is 9223372036854775807: ${m[1]}`, "attach-point");
      return;
    }
  }
  if (compareReleases(c.target, "0.24") < 0) {
    // Before 0.24 a parameter had to stand alone (or next to quoted text) within its part.
    for (const part of ap.parts) {
      const outsideQuotes = part.raw.replace(/"(?:[^"\\]|\\.)*"/g, '""');
      const m = /\$[0-9]+([^":$][^":]*)/.exec(outsideQuotes) ?? /([^":]+)\$[0-9]+/.exec(outsideQuotes);
      if (m) {
        c.error(part.range, `Found trailing text '${m[1]}' in positional parameter index. Try quoting the trailing text.`, "attach-point");
        return;
      }
    }
  }
}
