import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parse, walk, type Node, type Program } from "@bt/parser";
import { loadWASM, OnigScanner, OnigString } from "vscode-oniguruma";
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from "vscode-textmate";
import { beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const repo = join(root, "..", "..");
const require = createRequire(import.meta.url);
const GRAMMAR_PATH = join(root, "syntaxes", "bpftrace.tmLanguage.json");
/** The corpus tools as synced from /work/shared/corpus (packages/parser/scripts/sync-fixtures.mjs). */
const CORPUS = join(repo, "fixtures/corpus");

it("TextMate grammar passes the scope assertions in test/grammar/*.bt (vscode-tmgrammar-test)", async () => {
  const pkg = require.resolve("vscode-tmgrammar-test/package.json");
  const cli = join(dirname(pkg), "dist", "unit.js");
  const files = readdirSync(join(root, "test", "grammar")).filter((f) => f.endsWith(".bt"));
  expect(files.length).toBeGreaterThan(0);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [cli, "-g", "syntaxes/bpftrace.tmLanguage.json", ...files.map((f) => `test/grammar/${f}`)],
    { cwd: root },
  ).catch((e: { stdout: string; stderr: string }) => {
    throw new Error(`grammar test failed:\n${e.stdout}${e.stderr}`);
  });
  for (const f of files) expect(stdout).toContain(`✓ test/grammar/${f} run successfuly`);
});

interface BuiltinData {
  builtins: { name: string; pattern?: string }[];
}
const builtinData = JSON.parse(readFileSync(join(repo, "grammar/data/builtins.json"), "utf8")) as BuiltinData;
/** The builtins spelled as identifiers (`$1` and `$#` are the variables' patterns): a name or, for a family, its regex. */
const builtinAlternatives = builtinData.builtins.filter((b) => !b.name.startsWith("$")).map((b) => (b.pattern ? b.pattern.replace(/^\^|\$$/g, "") : b.name));
const builtinNamePattern = new RegExp(`^(?:${builtinAlternatives.join("|")})$`);

it("the grammar's builtin pattern lists exactly the builtins of grammar/data/builtins.json", () => {
  const grammar = JSON.parse(readFileSync(GRAMMAR_PATH, "utf8")) as { repository: { builtins: { match: string } } };
  const match = /^\\b\(\?:(.*)\)\\b$/.exec(grammar.repository.builtins.match);
  expect(match, "builtins.match is \\b(?:a|b|…)\\b").not.toBeNull();
  expect(match![1].split("|").sort()).toEqual([...builtinAlternatives].sort());
});

const typeNames = (JSON.parse(readFileSync(join(repo, "grammar/data/types.json"), "utf8")) as { types: { name: string }[] }).types.map((t) => t.name);

it("the grammar's builtin type pattern lists exactly the types of grammar/data/types.json", () => {
  const grammar = JSON.parse(readFileSync(GRAMMAR_PATH, "utf8")) as { repository: { types: { patterns: { match: string; name?: string }[] } } };
  const builtinTypes = grammar.repository.types.patterns.find((p) => p.name === "storage.type.builtin.bpftrace");
  const match = /^\\b\(\?:(.*)\)\\b$/.exec(builtinTypes?.match ?? "");
  expect(match, "storage.type.builtin.bpftrace is \\b(?:a|b|…)\\b").not.toBeNull();
  expect(match![1].split("|").sort()).toEqual([...typeNames].sort());
});

/** Scopes of every character of a file, from vscode-textmate (what VS Code itself runs). */
type ScopeMap = string[][];

let grammar: IGrammar;
beforeAll(async () => {
  await loadWASM(readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer);
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new OnigScanner(sources),
      createOnigString: (text: string) => new OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => (scopeName === "source.bpftrace" ? parseRawGrammar(readFileSync(GRAMMAR_PATH, "utf8"), GRAMMAR_PATH) : null),
  });
  grammar = (await registry.loadGrammar("source.bpftrace"))!;
});

function scopesOf(text: string): ScopeMap {
  const scopes: ScopeMap = [];
  let state: ReturnType<IGrammar["tokenizeLine"]>["ruleStack"] = INITIAL;
  // bpftrace ends lines only at LF.
  for (const line of text.split("\n")) {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) for (let i = token.startIndex; i < Math.min(token.endIndex, line.length); i++) scopes.push(token.scopes);
    state = result.ruleStack;
    // vscode-textmate folds the LF into the line's last token; its own scopes are those the
    // state after the line gives (what an empty line would get).
    scopes.push(grammar.tokenizeLine("", state).tokens[0].scopes);
  }
  return scopes;
}

const has = (scopes: string[] | undefined, name: string) => (scopes ?? []).some((s) => s === name || s.startsWith(`${name}.`));

const programsIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".bt"))
    .sort()
    .map((f) => join(dir, f));

/** The corpus tools and the seed scripts (issue #14's scope): each must parse. */
function scriptFiles(): string[] {
  const tools = readdirSync(CORPUS).filter((d) => d.startsWith("tools-")).sort();
  return [...tools.flatMap((d) => programsIn(join(CORPUS, d))), ...programsIn(join(repo, "examples"))];
}

/** The rest of the corpus: bpftrace's runtime tests, its stdlib, older tool versions. */
function moreCorpusFiles(): string[] {
  const dirs = ["runtime", "runtime-scripts", "self", "stdlib", ...readdirSync(CORPUS).filter((d) => d.startsWith("tools-")).sort().map((d) => `${d}/old`)];
  return dirs.flatMap((d) => programsIn(join(CORPUS, d)));
}

/** Everything that is wrong with the grammar's scopes for `text`, as `line:col: what` lines. */
function scopeProblems(text: string, ast: Program): string[] {
  const scopes = scopesOf(text);
  const problems: string[] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const where = (offset: number) => {
    let line = lineStarts.findIndex((s) => s > offset);
    if (line < 0) line = lineStarts.length;
    return `${line}:${offset - lineStarts[line - 1] + 1}`;
  };
  const report = (offset: number, what: string) => problems.push(`${where(offset)}: ${what} (scopes: ${(scopes[offset] ?? []).join(" ")})`);
  const expectScope = (start: number, end: number, name: string, what: string) => {
    for (let i = start; i < end; i++)
      if (!has(scopes[i], name)) {
        report(i, `${what} ${JSON.stringify(text.slice(start, end))} is not ${name}`);
        return;
      }
  };
  const lacks = (offset: number, name: string, what: string) => {
    if (offset >= 0 && offset < text.length && has(scopes[offset], name)) report(offset, `${what}: ${name} reaches this character`);
  };

  // Between top-level items only comments (and the shebang) may hold a scope: nothing of an item
  // runs past its end.
  const inItem = new Uint8Array(text.length + 1);
  for (const item of [...ast.body, ...ast.comments, ...(ast.shebang ? [ast.shebang] : [])]) inItem.fill(1, item.range.start.offset, item.range.end.offset);
  for (let i = 0; i < text.length; i++)
    if (!inItem[i] && scopes[i].some((s) => s !== "source.bpftrace")) {
      report(i, "a scope runs outside every item");
      break;
    }

  const keywordAt = (offset: number, word: string, name: string) => {
    if (text.startsWith(word, offset)) expectScope(offset, offset + word.length, name, `keyword ${word}`);
    else report(offset, `expected the keyword ${word} here`);
  };

  for (const comment of ast.comments) expectScope(comment.range.start.offset, comment.range.end.offset, "comment", "comment");
  const nextItemStartsAt = (offset: number) => ast.body.some((other) => other.range.start.offset === offset);
  const region = (item: Node, name: string, what: string) => {
    expectScope(item.range.start.offset, item.range.end.offset, name, what);
    if (!nextItemStartsAt(item.range.end.offset)) lacks(item.range.end.offset, name, `after the ${what}`);
  };
  for (const item of ast.body) {
    switch (item.type) {
      case "CPreprocessor":
        region(item, "meta.preprocessor.bpftrace", "preprocessor line");
        break;
      case "CDefinition":
        region(item, "meta.c-definition.bpftrace", "C definition");
        break;
      case "ConfigBlock":
        region(item, "meta.config.bpftrace", "config block");
        expectScope(item.range.start.offset, item.range.start.offset + "config".length, "keyword.other.config.bpftrace", "config keyword");
        break;
      case "MacroDef":
      case "FnDef":
        region(item, "meta.function.bpftrace", item.type === "MacroDef" ? "macro" : "fn");
        expectScope(
          item.name.range.start.offset,
          item.name.range.end.offset,
          item.type === "MacroDef" ? "entity.name.function.macro.bpftrace" : "entity.name.function.bpftrace",
          "defined name",
        );
        break;
      case "MapDecl":
        region(item, "meta.map-declaration.bpftrace", "map declaration");
        break;
      case "Import":
        keywordAt(item.range.start.offset, "import", "keyword.control.import.bpftrace");
        break;
    }
    if (item.type !== "Probe") continue;
    const { start, end } = item.range;
    expectScope(start.offset, end.offset, "meta.probe.bpftrace", "probe");
    // (unless the next probe starts right there, as in `}END{`)
    if (!nextItemStartsAt(end.offset)) lacks(end.offset, "meta.probe.bpftrace", "after the probe");
    for (const ap of item.attachPoints) {
      expectScope(ap.range.start.offset, ap.range.end.offset, "meta.attach-point.bpftrace", "attach point");
      lacks(ap.range.start.offset - 1, "meta.attach-point.bpftrace", "before the attach point");
      lacks(ap.range.end.offset, "meta.attach-point.bpftrace", "after the attach point");
      expectScope(ap.provider.range.start.offset, ap.provider.range.end.offset, "entity.name.type.probe.bpftrace", "provider");
    }
    // One scope each: as many runs of meta.attach-point in the probe's head as attach points.
    let runs = 0;
    for (let i = start.offset; i < item.body.range.start.offset; i++)
      if (has(scopes[i], "meta.attach-point.bpftrace") && !has(scopes[i - 1], "meta.attach-point.bpftrace")) runs++;
    if (runs !== item.attachPoints.length) report(start.offset, `${item.attachPoints.length} attach points but ${runs} attach-point scopes`);
    if (item.predicate) {
      const p = item.predicate.range;
      expectScope(p.start.offset, p.end.offset, "meta.predicate.bpftrace", "predicate");
      lacks(p.end.offset, "meta.predicate.bpftrace", "after the predicate");
    }
    expectScope(item.body.range.start.offset, item.body.range.end.offset, "meta.block.bpftrace", "probe body");
    expectScope(item.body.range.end.offset - 1, item.body.range.end.offset, "punctuation.section.block.end.bpftrace", "the body's closing brace");
  }

  // Names that are not uses of a builtin even when spelled like one.
  const notBuiltinUse = new Set<Node>();
  const macroParams = new Map<Node, Set<string>>();
  walk(ast, (node) => {
    if (node.type === "Call") notBuiltinUse.add(node.callee);
    else if (node.type === "FieldAccess") notBuiltinUse.add(node.field);
    else if (node.type === "RecordField") notBuiltinUse.add(node.name);
    else if (node.type === "OffsetofExpression") node.fields.forEach((f) => notBuiltinUse.add(f));
    else if (node.type === "ConfigItem") notBuiltinUse.add(node.key);
    else if (node.type === "MapDecl") notBuiltinUse.add(node.kind);
    else if (node.type === "MacroDef" || node.type === "FnDef") {
      notBuiltinUse.add(node.name);
      if (node.type === "MacroDef") macroParams.set(node, new Set(node.params.filter((p) => p.type === "Identifier").map((p) => (p as { name: string }).name)));
    }
  });
  const visit = (node: Node, params: Set<string>) => {
    const r = node.range;
    switch (node.type) {
      case "MacroDef":
        params = macroParams.get(node)!;
        break;
      case "Builtin":
        // stdlib's internal __builtin_* names are not in the language data
        if (node.name.startsWith("__builtin_")) break;
        expectScope(r.start.offset, r.end.offset, "variable.language.builtin.bpftrace", "builtin");
        break;
      case "Identifier":
        if (!notBuiltinUse.has(node) && !params.has(node.name) && builtinNamePattern.test(node.name))
          expectScope(r.start.offset, r.end.offset, "variable.language.builtin.bpftrace", "builtin");
        break;
      case "MapRef":
        expectScope(r.start.offset, r.end.offset, "variable.other.map.bpftrace", "map");
        break;
      case "Variable":
        expectScope(r.start.offset, r.end.offset, "variable.other.readwrite.bpftrace", "variable");
        break;
      case "PositionalParam":
        expectScope(r.start.offset, r.end.offset, "variable.parameter.positional.bpftrace", "positional parameter");
        break;
      case "StringLiteral":
        expectScope(r.start.offset, r.end.offset, "string.quoted.double.bpftrace", "string");
        break;
      case "IntegerLiteral":
        expectScope(r.start.offset, r.end.offset, "constant.numeric", "integer");
        break;
      case "BooleanLiteral":
        expectScope(r.start.offset, r.end.offset, "constant.language.boolean.bpftrace", "boolean");
        break;
      case "IfExpression": {
        keywordAt(r.start.offset, "if", "keyword.control.bpftrace");
        if (node.alternate) {
          const gap = text.slice(node.consequent.range.end.offset, node.alternate.range.start.offset);
          const at = /\belse\b/.exec(gap.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, (c) => " ".repeat(c.length)));
          if (at) keywordAt(node.consequent.range.end.offset + at.index, "else", "keyword.control.bpftrace");
          else report(node.consequent.range.end.offset, "no else before the alternate");
        }
        break;
      }
      case "WhileStatement":
        keywordAt(r.start.offset, "while", "keyword.control.bpftrace");
        break;
      case "ForStatement":
        keywordAt(r.start.offset, "for", "keyword.control.bpftrace");
        break;
      case "UnrollStatement":
        keywordAt(r.start.offset, "unroll", "keyword.control.bpftrace");
        break;
      case "ReturnStatement":
        keywordAt(r.start.offset, "return", "keyword.control.bpftrace");
        break;
      case "BreakStatement":
        keywordAt(r.start.offset, "break", "keyword.control.bpftrace");
        break;
      case "ContinueStatement":
        keywordAt(r.start.offset, "continue", "keyword.control.bpftrace");
        break;
      case "LetStatement":
        keywordAt(r.start.offset, "let", "storage.type.bpftrace");
        break;
      case "NamedType": {
        const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(r.start.offset))![0];
        if (node.tag) expectScope(r.start.offset, r.start.offset + word.length, "storage.type.bpftrace", "type tag");
        else if (typeNames.includes(node.name)) expectScope(r.start.offset, r.start.offset + word.length, "storage.type.builtin.bpftrace", "type");
        break;
      }
      case "Call":
        expectScope(node.callee.range.start.offset, node.callee.range.end.offset, "entity.name.function.call.bpftrace", "called function");
        break;
      case "TupleIndex":
        // `.0` is a member access, scoped as one
        expectScope(node.index.range.start.offset, node.index.range.end.offset, "variable.other.member.bpftrace", "tuple index");
        for (const child of [node.object]) visit(child, params);
        return;
    }
    walk(node, (child) => {
      if (child === node) return true;
      visit(child, params);
      return false;
    });
  };
  visit(ast, new Set());
  return problems;
}

const files = scriptFiles();
const relative = (f: string) => (f.startsWith(CORPUS) ? f.slice(CORPUS.length + 1) : f.slice(repo.length + 1));
const isError = (d: { severity: string; code?: string }) => d.severity === "error" && d.code !== "version" && d.code !== "semantic";

describe("grammar scopes over the corpus tools and the seed scripts", () => {
  it("finds the corpus tools and the seed scripts", () => {
    expect(files.filter((f) => f.startsWith(CORPUS)).length).toBeGreaterThanOrEqual(116);
    expect(files.filter((f) => f.startsWith(join(repo, "examples"))).length).toBeGreaterThanOrEqual(5);
  });

  it.each(files.map((f) => [relative(f), f]))("%s", (_name, file) => {
    const text = readFileSync(file, "utf8");
    const { ast, diagnostics } = parse(text);
    expect(diagnostics.filter(isError)).toEqual([]);
    expect(scopeProblems(text, ast)).toEqual([]);
  });
});

it("grammar scopes over the rest of the corpus (programs our parser accepts)", () => {
  const problems: string[] = [];
  let checked = 0;
  for (const file of moreCorpusFiles()) {
    const text = readFileSync(file, "utf8");
    const { ast, diagnostics } = parse(text);
    if (diagnostics.some(isError)) continue; // an incomplete AST says nothing of the grammar
    checked++;
    for (const p of scopeProblems(text, ast)) problems.push(`${relative(file)}:${p}`);
  }
  expect(checked).toBeGreaterThan(800);
  expect(problems).toEqual([]);
});

describe("the checks catch what issue #14 reported", () => {
  it("a predicate opened by the `/` of a path, and builtins scoped as plain variables", async () => {
    // The grammar before the fix, as it was committed, on the seed script the issue names.
    const text = readFileSync(join(repo, "examples/process-lifetime-nix.bt"), "utf8");
    const registry = new Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources: string[]) => new OnigScanner(sources),
        createOnigString: (s: string) => new OnigString(s),
      }),
      loadGrammar: async () => parseRawGrammar(readFileSync(join(root, "test/grammar/issue-14-before.tmLanguage.json"), "utf8"), "before.json"),
    });
    const current = grammar;
    grammar = (await registry.loadGrammar("source.bpftrace"))!;
    try {
      const problems = scopeProblems(text, parse(text).ast);
      expect(problems.some((p) => p.startsWith("1:") && p.includes("attach point"))).toBe(true);
      expect(problems.some((p) => p.includes("builtin"))).toBe(true);
    } finally {
      grammar = current;
    }
  });
});
