/**
 * Programmatic API: format bpftrace text with Prettier's core (loaded lazily:
 * `prettier/standalone` is a fraction of the full package) and this plugin.
 */
import type { Plugin } from "prettier";
import type { Node } from "@bt/parser";
import { parseStrict } from "./parser.ts";

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
  return prettier.format(text, prettierOptions(options, plugin));
}
