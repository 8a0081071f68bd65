/**
 * prettier-plugin-bpftrace: a Prettier 3 plugin for bpftrace (`.bt`) programs.
 * `prettier --plugin prettier-plugin-bpftrace file.bt`, or list it under
 * `plugins` in `.prettierrc`.
 */
import type { ParserOptions, Plugin, SupportLanguage } from "prettier";
import { needsLargeStack, type Node, type Program } from "@bt/parser";
import { formatOnLargeStackFrom } from "./large-stack.ts";
import { locEnd, locStart, parse, type PreformattedProgram } from "./parser.ts";
import { printer } from "./printer.ts";

export const languages: SupportLanguage[] = [
  {
    name: "bpftrace",
    parsers: ["bpftrace"],
    extensions: [".bt"],
    interpreters: ["bpftrace"],
    vscodeLanguageIds: ["bpftrace"],
  },
];

let largeStackEntry: URL | undefined;

/**
 * Set by the plugin's bundle (src/plugin.ts, dist/index.js) to itself: a program nested deeper
 * than Prettier's stack takes is then formatted in a worker with a large stack running it.
 */
export function useLargeStackEntry(entry: URL): void {
  largeStackEntry = entry;
}

/**
 * Our AST of `text`, or, for a program nested past MAX_NESTING (as deep as bpftrace takes it),
 * a root holding the whole text already formatted, comments included, on a worker's large
 * stack: Prettier's printing recurses once per level and runs on its own stack. Past bpftrace's
 * depth the worker's syntax error (`nesting is too deep …`, with its place) is thrown here.
 */
function parseForPrettier(text: string, options: ParserOptions<Node>): Program | PreformattedProgram {
  if (!largeStackEntry || !needsLargeStack(text)) return parse(text);
  const { printWidth, tabWidth, useTabs } = options;
  const formatted = formatOnLargeStackFrom(largeStackEntry, { text, options: { printWidth, tabWidth, useTabs } });
  const lines = text.split("\n");
  const end = { offset: text.length, line: lines.length, column: lines[lines.length - 1].length + 1 };
  return { type: "Program", body: [], comments: [], range: { start: { offset: 0, line: 1, column: 1 }, end }, formatted };
}

export const parsers: Plugin<Node>["parsers"] = {
  bpftrace: {
    parse: parseForPrettier,
    astFormat: "bpftrace",
    locStart,
    locEnd,
  },
};

export const printers: Plugin<Node>["printers"] = { bpftrace: printer };

/** bpftrace --fmt's own width; `printWidth`, `tabWidth` and `useTabs` are the only options that apply. */
export const defaultOptions: Plugin["defaultOptions"] = { printWidth: 90, tabWidth: 2, useTabs: false };

export const options: Plugin["options"] = {};

const plugin: Plugin<Node> = { languages, parsers, printers, defaultOptions, options };
export default plugin;

export { BpftraceSyntaxError } from "./parser.ts";
export { format, type FormatOptions } from "./format.ts";
export { formatRange, type Range } from "./range.ts";
