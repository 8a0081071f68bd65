import "./polyfill.ts";
export * from "./ast.ts";
export * from "./versions.ts";
export { visitorKeys, childNodes, walk } from "./visitor-keys.ts";
export { parse, MAX_NESTING, type ParseOptions, type ParseResult } from "./parse.ts";
export { decodeSource, encodeSource } from "./source-bytes.ts";
export { readSourceFile, rewriteMode, writeInPlace, UnwritableFileError } from "./source-file.ts";
export * as language from "./language/index.ts";
