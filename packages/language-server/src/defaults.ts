import { lintText } from "@bt/linter";
import { format } from "prettier-plugin-bpftrace/source";
import type { ServerOptions } from "./server.ts";

/**
 * The real tools the server uses outside tests: the bt linter and the Prettier plugin, both
 * consumed from source and bundled into bt-lsp. Kept in one place so the server itself stays
 * free of package wiring and tests can pass fakes.
 */
export function defaultOptions(): ServerOptions {
  return {
    lint: (text, options) => lintText(text, { target: options.target, filePath: options.filePath }),
    format: (text, options) => format(text, options),
  };
}
