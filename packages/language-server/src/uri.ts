import { fileURLToPath } from "node:url";

/** The file-system path of a `file:` URI, or undefined for other schemes (untitled:, …). */
export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
