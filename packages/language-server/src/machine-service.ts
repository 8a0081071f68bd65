import { machineTypeSource } from "@bt/linter";
import type { TypeSource } from "@bt/semantic";
import type { Machine } from "@bt/system";
import { filePathOf } from "./uri.ts";

/**
 * This machine (kernel BTF, tracefs, binaries) for the documents that may use it: only local
 * `file:` documents, and only while `bt.machine` is on. An untitled or remote document may be
 * meant for another machine, so it is never judged by this one.
 *
 * The machine is created on the first question and reads each source on first use (BTF takes
 * 50–200 ms), so initialize never waits for it. Its problems (a partial list, a missing tool)
 * are logged once each, however often they come back.
 */
export class MachineService {
  private machine?: Machine;
  private typeSource?: TypeSource;
  private readonly logged = new Set<string>();

  constructor(
    private readonly create: (() => Machine) | undefined,
    private readonly enabled: () => boolean,
    private readonly log: (message: string) => void,
  ) {}

  /** Whether documents at `uri` are checked and completed against this machine. */
  appliesTo(uri: string): boolean {
    return this.create !== undefined && this.enabled() && filePathOf(uri) !== undefined;
  }

  /** The machine for a document at `uri`, or undefined when it does not apply. */
  for(uri: string): Machine | undefined {
    if (!this.appliesTo(uri)) return undefined;
    this.machine ??= this.create!();
    return this.machine;
  }

  /** Kernel and binary types from the machine for the type checker (one source, so types are read once). */
  typesFor(uri: string): TypeSource | undefined {
    const machine = this.for(uri);
    if (!machine) return undefined;
    this.typeSource ??= machineTypeSource(machine);
    return this.typeSource;
  }

  /** Log what the machine could not tell, each message once per server. */
  report(problems: readonly string[]): void {
    for (const problem of problems) {
      if (this.logged.has(problem)) continue;
      this.logged.add(problem);
      this.log(`machine: ${problem}`);
    }
  }

  /** Log the problems of the questions asked of the server's own machine so far. */
  reportOwn(): void {
    if (this.machine) this.report(this.machine.problems());
  }
}
