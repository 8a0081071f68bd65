import { LATEST_RELEASE, RELEASES, toRelease } from "@bt/parser";

/**
 * The server's settings, read from the `bt` section of the client's configuration.
 * This table is the single source of truth: the VS Code manifest's
 * `contributes.configuration` is checked against it by a test in packages/vscode.
 */
export interface Settings {
  /** A bpftrace release (`0.16`…`0.27`) or `installed` (ask the configured bpftrace binary). */
  target: string;
  /** Path or command name of the bpftrace binary used for `target: installed`. */
  bpftracePath: string;
  /** Quiet time after the last edit before a document is checked again (pushed diagnostics). */
  diagnosticsDelayMs: number;
  /** Read this machine (BTF, tracefs, binaries) for completion, hover and machine checks of local files. */
  machine: boolean;
}

export interface SettingSchema {
  type: "string" | "number" | "boolean";
  default: string | number | boolean;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  description: string;
}

const DELAY = { default: 200, minimum: 0, maximum: 10000 };

export const SETTINGS_SECTION = "bt";

export const SETTINGS_SCHEMA: Record<keyof Settings, SettingSchema> = {
  target: {
    type: "string",
    default: "installed",
    enum: ["installed", ...RELEASES],
    description:
      "bpftrace release to check against. \"installed\" runs `bpftrace --version` (see bt.bpftracePath) and falls back to the newest known release when that fails.",
  },
  bpftracePath: {
    type: "string",
    default: "bpftrace",
    description: "bpftrace binary used when bt.target is \"installed\" (a command name looked up on PATH, or an absolute path).",
  },
  diagnosticsDelayMs: {
    type: "number",
    ...DELAY,
    description: "Milliseconds without edits before a changed bpftrace file is checked again (0: check on every change). Clients that pull diagnostics decide this themselves.",
  },
  machine: {
    type: "boolean",
    default: true,
    description:
      "Read this machine (kernel BTF, tracefs, binaries) to complete attach points and fields, show kernel function signatures and check that attach points and fields exist. Only local files; untitled and remote documents are never checked against this machine.",
  },
};

export const DEFAULT_SETTINGS: Settings = {
  target: "installed",
  bpftracePath: "bpftrace",
  diagnosticsDelayMs: DELAY.default,
  machine: true,
};

export interface ReadSettings {
  settings: Settings;
  /** One message per ignored value, for the log. */
  problems: string[];
}

/**
 * Validate whatever the client sent for the `bt` section. Unknown keys are ignored and bad
 * values fall back to their default with a message; this never throws.
 */
export function readSettings(raw: unknown): ReadSettings {
  const settings: Settings = { ...DEFAULT_SETTINGS };
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { settings, problems };
  if (typeof raw !== "object" || Array.isArray(raw)) {
    problems.push(`bt settings must be an object, got ${JSON.stringify(raw)}; using defaults`);
    return { settings, problems };
  }
  const record = raw as Record<string, unknown>;
  const target = record.target;
  if (target !== undefined) {
    const release = typeof target === "string" ? toRelease(target) : undefined;
    if (target === "installed") {
      settings.target = target;
    } else if (release) {
      // `0.23`, `v0.23.2`: keep the release.
      settings.target = release;
    } else {
      problems.push(
        `bt.target: ${JSON.stringify(target)} is not "installed" or a known release (${RELEASES[0]}…${LATEST_RELEASE}); using "${DEFAULT_SETTINGS.target}"`,
      );
    }
  }
  const path = record.bpftracePath;
  if (path !== undefined) {
    if (typeof path === "string" && path.trim() !== "") settings.bpftracePath = path.trim();
    else problems.push(`bt.bpftracePath: ${JSON.stringify(path)} is not a non-empty string; using "${DEFAULT_SETTINGS.bpftracePath}"`);
  }
  const delay = record.diagnosticsDelayMs;
  if (delay !== undefined) {
    const { minimum, maximum } = DELAY;
    if (typeof delay === "number" && Number.isFinite(delay) && delay >= minimum && delay <= maximum) settings.diagnosticsDelayMs = delay;
    else problems.push(`bt.diagnosticsDelayMs: ${JSON.stringify(delay)} is not a number of milliseconds from ${minimum} to ${maximum}; using ${DEFAULT_SETTINGS.diagnosticsDelayMs}`);
  }
  const machine = record.machine;
  if (machine !== undefined) {
    if (typeof machine === "boolean") settings.machine = machine;
    else problems.push(`bt.machine: ${JSON.stringify(machine)} is not true or false; using ${DEFAULT_SETTINGS.machine}`);
  }
  return { settings, problems };
}
