/**
 * Programmatic API: format bpftrace text with Prettier's core (loaded lazily:
 * `prettier/standalone` is a fraction of the full package) and this plugin.
 */
import { setFlagsFromString } from "node:v8";
import type { Plugin } from "prettier";
import { topLevelSection, type Node, type Program } from "@bt/parser";
import { parseStrict, watchingParses } from "./parser.ts";
import { isNextLineEmpty, topLevelCuts } from "./text.ts";

export interface FormatOptions {
  printWidth?: number;
  tabWidth?: number;
  useTabs?: boolean;
  /** For messages and language detection only. */
  filepath?: string;
}

let core: Promise<typeof import("prettier/standalone")> | undefined;
let pluginModule: Promise<Plugin<Node>> | undefined;

async function load(): Promise<[typeof import("prettier/standalone"), Plugin<Node>]> {
  core ??= import("prettier/standalone");
  pluginModule ??= import("./index.ts").then((m) => m.default);
  return Promise.all([core, pluginModule]);
}

function prettierOptions(options: FormatOptions, plugin: Plugin<Node>) {
  return {
    parser: "bpftrace",
    plugins: [plugin],
    printWidth: options.printWidth ?? 90,
    tabWidth: options.tabWidth ?? 2,
    useTabs: options.useTabs ?? false,
    ...(options.filepath ? { filepath: options.filepath } : {}),
  };
}

/** Format a whole program. Throws `BpftraceSyntaxError` (with `loc`) on text that does not parse. */
export async function format(text: string, options: FormatOptions = {}): Promise<string> {
  // Prettier's core takes a byte-order mark off before the plugin sees the text and puts it back
  // after; bpftrace rejects the mark, so it is refused here with the parser's diagnostic (1:1).
  if (text.charCodeAt(0) === 0xfeff) parseStrict(text);
  const [prettier, plugin] = await load();
  const prettierOpts = prettierOptions(options, plugin);
  if (text.length >= 2 * PIECE_CHARS) {
    const formatted = await withoutInlining(() => formatInPieces(text, prettier, prettierOpts, PIECE_CHARS));
    if (formatted !== undefined) return formatted;
  }
  return prettier.format(text, prettierOpts);
}

/**
 * Runs `work` with V8's optimizing compiler not inlining functions into each other. On a large
 * program most of the time outside the main thread is that compiler (big10.bt: about 1.8 s of
 * background threads against 1.8 s of formatting, measured per thread), rebuilding the parser's
 * and Prettier's largest functions after each deoptimization; without inlining it spends about
 * 0.7 s less and the formatting itself about 0.1 s more. The setting only changes how code is
 * compiled, never what it computes, and is put back afterwards (a code cache written later
 * carries the flags it was made with).
 */
async function withoutInlining<T>(work: () => Promise<T>): Promise<T> {
  // node started with inlining off (e.g. `node --no-turbo-inlining`) keeps it off
  if (process.execArgv.some((arg) => arg.replaceAll("_", "-") === "--no-turbo-inlining")) return work();
  setFlagsFromString("--no-turbo-inlining");
  try {
    return await work();
  } finally {
    setFlagsFromString("--turbo-inlining");
  }
}

/**
 * Large programs are formatted a piece of top-level items at a time. Formatting holds the AST,
 * the attached comments and the doc of everything at once (about 150 times the text's size), so
 * one 10 MB program took gigabytes and most of its time in the garbage collector; pieces of this
 * size keep that bounded and give the same text (src/format.test.ts checks it on the corpus).
 */
export const PIECE_CHARS = 64 * 1024;

/**
 * The text formatted in pieces cut at top-level item boundaries (topLevelCuts), joined with the
 * blank line the whole-file printer keeps between items; undefined when it has no cut, or when a
 * piece does not parse (the whole text is then formatted, which reports the error where it is).
 */
export async function formatInPieces(
  text: string,
  prettier: typeof import("prettier/standalone"),
  prettierOpts: ReturnType<typeof prettierOptions>,
  pieceChars: number,
): Promise<string | undefined> {
  const cuts = topLevelCuts(text, pieceChars);
  if (cuts.length === 0) return undefined;
  // Each piece's parse checks the order of the program's sections (C definitions, config and
  // imports, probes) within it; across pieces it is checked here: out of order, the whole text
  // is formatted, which reports the error.
  let piece = "";
  let section = 1;
  let configs = 0;
  let ordered = true;
  const watchSections = (parsed: string, ast: Program) => {
    // Prettier hands the parser the text with its line ends made `\n`
    if (parsed !== piece && parsed !== piece.replace(/\r\n?/g, "\n")) return;
    for (const item of ast.body) {
      const own = topLevelSection(item);
      if (own < section || (item.type === "ConfigBlock" && ++configs > 1)) ordered = false;
      section = Math.max(section, own);
    }
  };
  const out: string[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    let formatted: string;
    piece = text.slice(from, cut);
    try {
      formatted = await watchingParses(watchSections, () => prettier.format(piece, prettierOpts));
    } catch {
      return undefined;
    }
    if (!ordered) return undefined;
    // the whole-file printer keeps one blank line after an item followed by one
    if (from > 0 && isNextLineEmpty(text, from - 1)) out.push("\n");
    out.push(formatted);
    from = cut;
  }
  return out.join("");
}

/** For tests: `format` with pieces of `pieceChars` (0: every top-level item alone); undefined when it would not cut. */
export async function formatInPiecesForTest(text: string, pieceChars: number, options: FormatOptions = {}): Promise<string | undefined> {
  const [prettier, plugin] = await load();
  return formatInPieces(text, prettier, prettierOptions(options, plugin), pieceChars);
}
