/**
 * prettier-plugin-bpftrace: a Prettier 3 plugin for bpftrace (`.bt`) programs.
 * `prettier --plugin prettier-plugin-bpftrace file.bt`, or list it under
 * `plugins` in `.prettierrc`.
 */
import type { Plugin, SupportLanguage } from "prettier";
import type { Node } from "@bt/parser";
import { locEnd, locStart, parse } from "./parser.ts";
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

export const parsers: Plugin<Node>["parsers"] = {
  bpftrace: {
    parse: (text: string) => parse(text),
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
