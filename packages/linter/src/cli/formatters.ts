import { relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import pc from "picocolors";
import type * as Sarif from "sarif";
import { rules } from "../rules/index.ts";
import type { Finding, Severity } from "../types.ts";

export interface FileResult {
  /** Path as given (or the --stdin-filename, or `<stdin>`). */
  file: string;
  findings: Finding[];
  /** Fixed text (dry run) when fixes were available. */
  output?: string;
  /** Fixes applied (or that would be applied with --fix-dry-run). */
  fixed?: number;
}

export type FormatName = "stylish" | "json" | "sarif" | "github";
export const FORMATS: FormatName[] = ["stylish", "json", "sarif", "github"];

export function format(name: FormatName, results: FileResult[], opts: { cwd: string; version: string; color?: boolean }): string {
  switch (name) {
    case "json":
      return formatJson(results);
    case "sarif":
      return JSON.stringify(toSarif(results, opts), null, 2) + "\n";
    case "github":
      return formatGithub(results, opts.cwd);
    default:
      return formatStylish(results, opts.color ?? false);
  }
}

// --- json: [{file, findings:[{rule, severity, message, line, column, endLine, endColumn, fix?}]}]

export function toJsonShape(results: FileResult[]): unknown[] {
  return results.map((r) => ({
    file: r.file,
    findings: r.findings.map((f) => ({
      rule: f.ruleId,
      severity: f.severity,
      message: f.message,
      line: f.range.start.line,
      column: f.range.start.column,
      endLine: f.range.end.line,
      endColumn: f.range.end.column,
      ...(f.fix
        ? {
            fix: {
              edits: f.fix.edits.map((e) => ({
                line: e.range.start.line,
                column: e.range.start.column,
                endLine: e.range.end.line,
                endColumn: e.range.end.column,
                text: e.text,
              })),
            },
          }
        : {}),
    })),
    ...(r.output !== undefined ? { output: r.output } : {}),
  }));
}

function formatJson(results: FileResult[]): string {
  return JSON.stringify(toJsonShape(results)) + "\n";
}

// --- stylish (ESLint's default)

function formatStylish(results: FileResult[], color: boolean): string {
  const c = pc.createColors(color);
  let out = "";
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let fixableErrors = 0;
  let fixableWarnings = 0;
  for (const r of results) {
    if (r.findings.length === 0) continue;
    out += `\n${c.underline(r.file)}\n`;
    const rows = r.findings.map((f) => {
      if (f.severity === "error") errors++;
      else if (f.severity === "warning") warnings++;
      else infos++;
      if (f.fix && f.severity === "error") fixableErrors++;
      if (f.fix && f.severity === "warning") fixableWarnings++;
      const sev = f.severity === "error" ? c.red("error") : f.severity === "warning" ? c.yellow("warning") : c.blue("info");
      return [`${f.range.start.line}:${f.range.start.column}`, sev, f.message, c.dim(f.ruleId)];
    });
    const w0 = Math.max(...rows.map((x) => x[0].length));
    const w1 = Math.max(...r.findings.map((f) => (f.severity === "error" ? 5 : f.severity === "warning" ? 7 : 4)));
    for (const [pos, sev, msg, rule] of rows) {
      const plainSev = sev.replace(/\x1b\[[0-9;]*m/g, "");
      out += `  ${pos.padEnd(w0)}  ${sev}${" ".repeat(w1 - plainSev.length)}  ${msg}  ${rule}\n`;
    }
  }
  const total = errors + warnings + infos;
  if (total > 0) {
    const parts = `${total} problem${total === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}${infos ? `, ${infos} info` : ""})`;
    out += `\n${errors ? c.red(c.bold(`✖ ${parts}`)) : c.yellow(c.bold(`✖ ${parts}`))}\n`;
    if (fixableErrors + fixableWarnings > 0) {
      out += c.dim(`  ${fixableErrors} error${fixableErrors === 1 ? "" : "s"} and ${fixableWarnings} warning${fixableWarnings === 1 ? "" : "s"} potentially fixable with the \`--fix\` option.\n`);
    }
  }
  const fixed = results.filter((r) => r.fixed);
  for (const r of fixed) {
    out += r.output !== undefined
      ? `${r.file}: ${r.fixed} fix${r.fixed === 1 ? "" : "es"} available (dry run, nothing written)\n`
      : `${r.file}: ${r.fixed} fix${r.fixed === 1 ? "" : "es"} applied\n`;
  }
  return out;
}

// --- GitHub Actions workflow commands

function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function formatGithub(results: FileResult[], cwd: string): string {
  let out = "";
  for (const r of results) {
    const file = toPosix(r.file.startsWith("<") ? r.file : relative(cwd, r.file) || r.file);
    for (const f of r.findings) {
      const level = f.severity === "error" ? "error" : f.severity === "warning" ? "warning" : "notice";
      out += `::${level} file=${escapeProperty(file)},line=${f.range.start.line},col=${f.range.start.column},endLine=${f.range.end.line},endColumn=${f.range.end.column},title=${escapeProperty(`bt-lint ${f.ruleId}`)}::${escapeData(f.message)}\n`;
    }
  }
  return out;
}

// --- SARIF 2.1.0

const SARIF_LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { error: "error", warning: "warning", info: "note" };

function toPosix(p: string): string {
  return p.split(sep).join("/");
}

export function toSarif(results: FileResult[], opts: { cwd: string; version: string }): Sarif.Log {
  const ruleIds = Object.keys(rules);
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const driverRules: Sarif.ReportingDescriptor[] = ruleIds.map((id) => {
    const m = rules[id].meta;
    return {
      id,
      name: id.replace(/(^|-)([a-z])/g, (_s, _d, ch: string) => ch.toUpperCase()),
      shortDescription: { text: m.description },
      fullDescription: { text: m.description },
      helpUri: m.docsUrl,
      help: { text: `${m.description} See ${m.docsUrl}`, markdown: `${m.description} [Documentation](${m.docsUrl})` },
      defaultConfiguration: m.defaultSeverity === "off" ? { enabled: false, level: "warning" } : { level: SARIF_LEVEL[m.defaultSeverity] },
      properties: { tags: [m.type, "bpftrace"], fixable: m.fixable },
    };
  });
  const uriOf = (file: string) => (file.startsWith("<") ? file : toPosix(relative(opts.cwd, file) || file));
  const sarifResults: Sarif.Result[] = [];
  for (const r of results) {
    const artifactLocation: Sarif.ArtifactLocation = { uri: uriOf(r.file), uriBaseId: "%SRCROOT%" };
    for (const f of r.findings) {
      const res: Sarif.Result = {
        ruleId: f.ruleId,
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation,
              region: {
                startLine: f.range.start.line,
                startColumn: f.range.start.column,
                endLine: f.range.end.line,
                endColumn: f.range.end.column,
              },
            },
          },
        ],
      };
      const i = index.get(f.ruleId);
      if (i !== undefined) res.ruleIndex = i;
      if (f.fix) {
        res.fixes = [
          {
            description: { text: `Fix for ${f.ruleId}` },
            artifactChanges: [
              {
                artifactLocation,
                replacements: f.fix.edits.map((e) => ({
                  deletedRegion: {
                    startLine: e.range.start.line,
                    startColumn: e.range.start.column,
                    endLine: e.range.end.line,
                    endColumn: e.range.end.column,
                  },
                  insertedContent: { text: e.text },
                })),
              },
            ],
          },
        ];
      }
      sarifResults.push(res);
    }
  }
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "bt-lint",
            semanticVersion: opts.version,
            version: opts.version,
            informationUri: rules["syntax"]?.meta.docsUrl.replace(/rules\/[^/]*$/, "rules/") ?? "",
            rules: driverRules,
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: pathToFileURL(opts.cwd.endsWith(sep) ? opts.cwd : opts.cwd + sep).href } },
        columnKind: "utf16CodeUnits",
        results: sarifResults,
      },
    ],
  };
}
