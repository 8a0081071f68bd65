import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, readSettings } from "./settings.ts";

describe("readSettings", () => {
  it("defaults", () => {
    expect(readSettings(undefined)).toEqual({ settings: { target: "installed", bpftracePath: "bpftrace", diagnosticsDelayMs: 200, machine: true }, problems: [] });
    expect(readSettings(null).settings).toEqual(DEFAULT_SETTINGS);
  });

  it("accepts releases in several spellings and trims the path", () => {
    expect(readSettings({ target: "0.21", bpftracePath: " /usr/bin/bpftrace " })).toEqual({
      settings: { target: "0.21", bpftracePath: "/usr/bin/bpftrace", diagnosticsDelayMs: 200, machine: true },
      problems: [],
    });
    expect(readSettings({ target: "v0.23.2" }).settings.target).toBe("0.23");
    expect(readSettings({ target: "installed" }).settings.target).toBe("installed");
    expect(readSettings({ diagnosticsDelayMs: 0 }).settings.diagnosticsDelayMs).toBe(0);
    expect(readSettings({ diagnosticsDelayMs: "50" }).settings.diagnosticsDelayMs).toBe(200);
    expect(readSettings({ machine: false }).settings.machine).toBe(false);
  });

  it("reports bad values and keeps the defaults", () => {
    expect(readSettings({ target: "1.2", bpftracePath: "", diagnosticsDelayMs: -5, machine: "yes" })).toEqual({
      settings: DEFAULT_SETTINGS,
      problems: [
        'bt.target: "1.2" is not "installed" or a known release (0.16…0.27); using "installed"',
        'bt.bpftracePath: "" is not a non-empty string; using "bpftrace"',
        "bt.diagnosticsDelayMs: -5 is not a number of milliseconds from 0 to 10000; using 200",
        'bt.machine: "yes" is not true or false; using true',
      ],
    });
    expect(readSettings("0.20").problems).toEqual(['bt settings must be an object, got "0.20"; using defaults']);
  });
});
