import "./polyfill.ts";
export * from "./ast.ts";
export * from "./versions.ts";
export { visitorKeys, childNodes, walk } from "./visitor-keys.ts";
export { parse, type ParseOptions, type ParseResult } from "./parse.ts";
export * as language from "./language/index.ts";
