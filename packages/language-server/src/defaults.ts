import { createConfigResolver, lintText } from "@bt/linter";
import { format } from "prettier-plugin-bpftrace/source";
import type { ServerOptions } from "./server.ts";

/**
 * The real tools the server uses outside tests: the bt linter and the Prettier plugin, both
 * consumed from source and bundled into bt-lsp. Kept in one place so the server itself stays
 * free of package wiring and tests can pass fakes.
 *
 * Rule settings come from the same `.btlintrc.json` / `package.json#bt-lint` that bt-lint reads
 * for the file (looked up again on each check, so edits to it apply at the next change); the
 * release comes from `bt.target`. A broken configuration makes the linter fail, which the
 * diagnostics feature logs once per check while showing the parser's diagnostics.
 */
export function defaultOptions(): ServerOptions {
  return {
    lint: (text, options, parsed) => {
      const rules = options.filePath ? createConfigResolver()(options.filePath).config.rules : undefined;
      return lintText(text, { target: options.target, filePath: options.filePath, rules, parsed });
    },
    format: (text, options) => format(text, options),
  };
}
