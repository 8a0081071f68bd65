import { LATEST_RELEASE, parse, toRelease, type Node, type ParseResult, type Range } from "@bt/parser";
import { createSuppressor, parseDirectives } from "./directives.ts";
import { formatMessage } from "./rule.ts";
import { rules } from "./rules/index.ts";
import { buildModel, withRun, type TypeSource } from "@bt/semantic";
import type { Machine } from "@bt/system";
import { machineTypeSource } from "./machine-type-source.ts";
import type { Finding, LintOptions, LintResult, RuleContext, RuleSetting, Severity } from "./types.ts";

/** Rules that still run when the file has syntax errors (they only surface parser diagnostics). */
const PARSE_LEVEL_RULES = new Set(["syntax", "version-compat", "invalid-directive"]);
/** Parser diagnostic codes that mean "this text is not a program". */
const FATAL_CODES = new Set(["lex", "syntax", "literal", "input"]);

export class UsageError extends Error {}

/** `0.21`, `v0.21.0`, `bpftrace v0.21.0` → `0.21`; undefined → the latest release. Throws UsageError otherwise. */
export function resolveTarget(target: string | undefined): string {
  if (target === undefined || target === "" || target === "latest") return LATEST_RELEASE;
  const r = toRelease(target);
  if (!r) throw new UsageError(`unknown bpftrace release "${target}" (expected 0.16 … ${LATEST_RELEASE})`);
  return r;
}

export function settingToSeverity(s: RuleSetting): Severity | "off" {
  return s === "warn" ? "warning" : s;
}

export interface LintTextOptions extends LintOptions {
  /**
   * The parse of `text`, when the caller already has it (the language server parses each
   * version of a document once for all its features). Only valid when made from this very
   * `text` with the same release, i.e. `parse(text, { target: resolveTarget(options.target) })`;
   * nothing checks that. Default: `text` is parsed here.
   */
  parsed?: ParseResult;
}

/**
 * A missing field of a kernel or binary type is reported by machine-field (with the real fields
 * and a did-you-mean); the type checker, which then knows the same type, would say it again.
 */
function saidByMachineField(f: Finding, all: Finding[]): boolean {
  if (f.ruleId !== "field-access" || f.messageId !== "unknownField") return false;
  return all.some((m) => m.ruleId === "machine-field" && m.range.start.offset >= f.range.start.offset && m.range.end.offset <= f.range.end.offset);
}

/**
 * One type source per machine, kept across lints: what it read (kernel structs, the arguments of
 * an attach point) stays read for the next lint of an editor's typing session.
 */
const typeSources = new WeakMap<Machine, TypeSource>();

function typeSourceOf(machine: Machine): TypeSource {
  let source = typeSources.get(machine);
  if (!source) typeSources.set(machine, (source = machineTypeSource(machine)));
  return source;
}

export function lintText(text: string, options: LintTextOptions = {}): LintResult {
  const target = resolveTarget(options.target);
  const parsed = options.parsed ?? parse(text, { target, withPid: options.pid !== undefined });
  const { ast, diagnostics } = parsed;
  const parseOk = !diagnostics.some((d) => d.severity === "error" && FATAL_CODES.has(d.code));
  // With a machine, kernel and binary types (BTF, tracefs, DWARF) are known to the type checker.
  const machineTypes = options.typeSource ?? (options.machine ? typeSourceOf(options.machine) : undefined);
  const runKnown = options.positionalParameters !== undefined || options.unsafe !== undefined;
  const model = buildModel(ast, target, runKnown ? withRun(machineTypes, { positionalParameters: options.positionalParameters, unsafe: options.unsafe }) : machineTypes);
  const ruleIds = new Set(Object.keys(rules));
  const findings: Finding[] = [];
  const source = (n: Node | Range) => {
    const r = "type" in n ? n.range : n;
    return text.slice(r.start.offset, r.end.offset);
  };

  for (const [id, rule] of Object.entries(rules)) {
    if (!parseOk && !PARSE_LEVEL_RULES.has(id)) continue;
    const configured = options.rules?.[id];
    const severity = configured ? settingToSeverity(configured) : rule.meta.defaultSeverity;
    if (severity === "off") continue;
    const context: RuleContext = {
      text,
      ast,
      target,
      filePath: options.filePath,
      readFileSystem: options.readFileSystem ?? true,
      machine: options.machine,
      pid: options.pid,
      model,
      parseDiagnostics: diagnostics,
      ruleIds,
      source,
      report(r) {
        const template = rule.meta.messages[r.messageId];
        if (template === undefined) throw new Error(`rule ${id} reported unknown messageId ${r.messageId}`);
        findings.push({
          ruleId: id,
          severity: configured ? (severity as Severity) : (r.severity ?? (severity as Severity)),
          message: formatMessage(template, r.data),
          range: r.range,
          ...(r.fix && r.fix.edits.length > 0 ? { fix: r.fix } : {}),
          docsUrl: rule.meta.docsUrl,
          messageId: r.messageId,
        });
      },
    };
    try {
      rule.check(context);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      findings.push({
        ruleId: id,
        severity: "error",
        message: `internal error in rule ${id}: ${msg}`,
        range: { start: ast.range.start, end: ast.range.start },
        docsUrl: rule.meta.docsUrl,
      });
    }
  }

  const suppressed = createSuppressor(parseDirectives(ast.comments ?? []));
  const kept = findings.filter(
    (f) =>
      (f.ruleId === "syntax" || f.ruleId === "invalid-directive" || !suppressed(f.ruleId, f.range.start.line)) &&
      !saidByMachineField(f, findings),
  );
  kept.sort(
    (a, b) =>
      a.range.start.offset - b.range.start.offset ||
      a.range.end.offset - b.range.end.offset ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.message.localeCompare(b.message),
  );
  // One finding per rule, range and message.
  const seen = new Set<string>();
  const unique = kept.filter((f) => {
    const k = `${f.ruleId}|${f.range.start.offset}|${f.range.end.offset}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return { findings: unique, parseOk, target };
}
