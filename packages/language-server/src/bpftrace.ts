import { execFile } from "node:child_process";
import { parseBpftraceVersion } from "@bt/parser";
import { LATEST_RELEASE, RELEASES, toRelease, type Release } from "@bt/parser";

/** What `bpftrace --version` told us. */
export interface BpftraceVersion {
  /** Full version as printed, without the `v` (`0.23.2`). */
  version: string;
  /** The release the toolkit models for it (clamped to the known range). */
  release: Release;
}

/** Runs a binary with an argument array (never a shell) and returns its stdout. */
export type ExecFile = (file: string, args: readonly string[], timeoutMs: number) => Promise<string>;

export const execFileText: ExecFile = (file, args, timeoutMs) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: timeoutMs, shell: false, maxBuffer: 64 * 1024, encoding: "utf8" }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout);
    });
  });

/**
 * Validate the output of `bpftrace --version` (`bpftrace v0.23.2`). Returns undefined for
 * anything else, so a wrapper script printing garbage cannot pick the target. Releases outside
 * the modelled range are clamped (the parser's `parseBpftraceVersion`, shared with bt-lint and bt-run).
 */
export function parseVersionOutput(stdout: string): BpftraceVersion | undefined {
  const parsed = parseBpftraceVersion(stdout);
  return parsed && { version: parsed.version, release: parsed.target };
}

/**
 * The small adapter around the bpftrace binary. Today the server only asks for the version
 * (to pick the target release). A missing or broken binary switches the feature off with one
 * log message per configured path; it never throws.
 */
export class Bpftrace {
  private cached?: Promise<BpftraceVersion | undefined>;

  constructor(
    readonly path: string,
    private readonly log: (message: string) => void,
    private readonly exec: ExecFile = execFileText,
    private readonly timeoutMs = 5000,
  ) {}

  /** The installed version, or undefined (already logged) when it cannot be determined. */
  version(): Promise<BpftraceVersion | undefined> {
    this.cached ??= this.probe();
    return this.cached;
  }

  private async probe(): Promise<BpftraceVersion | undefined> {
    let stdout: string;
    try {
      stdout = await this.exec(this.path, ["--version"], this.timeoutMs);
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { killed?: boolean };
      const why =
        e.code === "ENOENT"
          ? "not found"
          : e.code === "EACCES"
            ? "not executable"
            : e.killed
              ? `did not answer within ${this.timeoutMs} ms`
              : `failed (${firstLine(e.message)})`;
      this.log(
        `bpftrace ${why}: '${this.path}' (setting bt.bpftracePath). Version detection is off; checking against bpftrace ${LATEST_RELEASE}. Set bt.target to a release to silence this.`,
      );
      return undefined;
    }
    const parsed = parseVersionOutput(stdout);
    if (!parsed) {
      this.log(
        `'${this.path} --version' printed ${JSON.stringify(firstLine(stdout))}, not "bpftrace vX.Y.Z". Version detection is off; checking against bpftrace ${LATEST_RELEASE}.`,
      );
      return undefined;
    }
    if (toRelease(parsed.version) === undefined) {
      this.log(`bpftrace ${parsed.version} is outside the releases bt knows (${RELEASES[0]}…${LATEST_RELEASE}); checking against ${parsed.release}.`);
    }
    return parsed;
  }
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0]?.slice(0, 200) ?? "";
}
