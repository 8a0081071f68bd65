/**
 * Runs an external program (binutils) with an argument array, never a shell. A missing program
 * turns its feature off: the first failure is remembered and every later call answers with the
 * same one message instead of trying again.
 */
import { execFileSync } from "node:child_process";

export type ToolResult = { ok: true; stdout: string } | { ok: false; reason: string };

const missing = new Map<string, string>();

/** One message per program that was needed and is not installed (features that are off). */
export function missingTools(): string[] {
  return [...missing.values()];
}

export function runTool(program: string, args: string[], options: { input?: string; maxBuffer?: number; timeoutMs?: number } = {}): ToolResult {
  const known = missing.get(program);
  if (known) return { ok: false, reason: known };
  try {
    const stdout = execFileSync(program, args, {
      input: options.input,
      encoding: "latin1",
      stdio: ["pipe", "pipe", "pipe"],
      maxBuffer: options.maxBuffer ?? 512 * 1024 * 1024,
      timeout: options.timeoutMs ?? 60_000,
    });
    return { ok: true, stdout };
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string; status?: number };
    if (e.code === "ENOENT") {
      const reason = `\`${program}\` is not installed (binutils): this feature is off`;
      missing.set(program, reason);
      return { ok: false, reason };
    }
    const detail = (e.stderr ?? "").toString().trim().split("\n")[0] || e.message.split("\n")[0];
    return { ok: false, reason: `${program} ${args.join(" ")}: ${detail}` };
  }
}
