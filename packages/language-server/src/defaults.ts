import type { ServerOptions } from "./server.ts";

/**
 * The real tools the server uses outside tests. Kept in one place so the server itself stays
 * free of package wiring and tests can pass fakes.
 */
export function defaultOptions(): ServerOptions {
  return {};
}
