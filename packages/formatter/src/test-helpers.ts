/** Shared by the formatter's tests (and the bench's corpus listing): corpus listing, AST normalisation, comment lists. */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "@bt/parser";
import { fatalDiagnostics } from "./parser.ts";

// shared with range formatting's check; re-exported under the names the tests use
export { astShape, commentTexts } from "./parser.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, "../../..");
export const SHARED_CORPUS = resolve(REPO_ROOT, "../shared/corpus");
export const FIXTURE_CORPUS = join(REPO_ROOT, "fixtures/corpus");
export const FORMAT_FIXTURES = join(REPO_ROOT, "fixtures/format");

export interface CorpusProgram {
  /** `dir/file.bt` or `parser_cases.json#name` */
  key: string;
  text: string;
  /** on disk (for messages) */
  file?: string;
}

/** Every `.bt` file under `dir`, sorted, leaving out `fmt-HEAD` folders; empty when `dir` is missing. */
export function listBt(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) {
        if (e !== "fmt-HEAD") walk(p);
      } else if (e.endsWith(".bt")) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/**
 * Every corpus program: the `.bt` files of the shared corpus and of our copy in
 * fixtures/corpus (deduplicated by relative path), plus the program strings of
 * the parser and attach-point case lists that are expected to parse.
 */
export function corpusPrograms(): CorpusProgram[] {
  const byKey = new Map<string, CorpusProgram>();
  for (const root of [SHARED_CORPUS, FIXTURE_CORPUS]) {
    for (const file of listBt(root)) {
      const key = relative(root, file);
      if (!byKey.has(key)) byKey.set(key, { key, file, text: readFileSync(file, "utf8") });
    }
    for (const list of ["parser_cases.json", "attachpoint_cases.json"]) {
      const p = join(root, list);
      if (!existsSync(p)) continue;
      const cases = JSON.parse(readFileSync(p, "utf8")) as { name: string; program: string; expect: string }[];
      for (const c of cases) {
        const key = `${list}#${c.name}`;
        if (c.expect === "ok" && !byKey.has(key)) byKey.set(key, { key, text: c.program });
      }
    }
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** Programs our parser accepts (what the formatter promises to handle). */
export function parses(text: string): boolean {
  return fatalDiagnostics(parse(text).diagnostics).length === 0;
}

/** The program with every comment removed (line structure kept). */
export function stripComments(text: string): string {
  const { ast } = parse(text);
  let out = "";
  let at = 0;
  for (const c of ast.comments) {
    out += text.slice(at, c.range.start.offset);
    out += c.kind === "block" ? (c.text.includes("\n") ? "\n".repeat(c.text.split("\n").length - 1) : " ") : "";
    at = c.range.end.offset;
  }
  return out + text.slice(at);
}
