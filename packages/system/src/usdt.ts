/** USDT (SystemTap SDT) probes: the notes `sys/sdt.h` leaves in `.note.stapsdt`. */
import { readNotes } from "./elf.ts";

const NT_STAPSDT = 3;

export interface UsdtProbe {
  provider: string;
  name: string;
  /** Address of the probe site (before prelink adjustment). */
  address: bigint;
  /** Semaphore address, 0 when the probe has none. */
  semaphore: bigint;
  /** Argument specs as written by the compiler: `-4@%edi 8@%rsi`. */
  args: string;
  /** Number of arguments (`arg0` … `arg{n-1}` in bpftrace). */
  argCount: number;
}

export function readUsdtProbes(path: string): UsdtProbe[] {
  const out: UsdtProbe[] = [];
  for (const note of readNotes(path, ".note.stapsdt")) {
    // Three addresses of the file's word size (probe site, base, semaphore), then provider, name and arguments.
    const word = note.is64 ? 8 : 4;
    if (note.name !== "stapsdt" || note.type !== NT_STAPSDT || note.desc.length < 3 * word) continue;
    const d = Buffer.from(note.desc.buffer, note.desc.byteOffset, note.desc.byteLength);
    const read = (o: number): bigint =>
      note.is64 ? (note.littleEndian ? d.readBigUInt64LE(o) : d.readBigUInt64BE(o)) : BigInt(note.littleEndian ? d.readUInt32LE(o) : d.readUInt32BE(o));
    const address = read(0);
    const semaphore = read(2 * word);
    const strings = d.toString("latin1", 3 * word).split("\0");
    const [provider = "", name = "", args = ""] = strings;
    out.push({ provider, name, address, semaphore, args, argCount: args.trim() === "" ? 0 : args.trim().split(/\s+/).length });
  }
  return out;
}
