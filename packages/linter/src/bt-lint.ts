import { decodeSource, serveLargeStackJob } from "@bt/parser";
import { lintOnLargeStack, main } from "./cli/main.ts";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return decodeSource(Buffer.concat(chunks));
}

// Started by callOnLargeStack (deep nesting), this script only lints the text it is given.
if (!serveLargeStackJob({ lint: lintOnLargeStack })) {
  // A reader that goes away (`bt-lint … | head`) ends the run quietly, not with an EPIPE stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw err;
    });
  }

  const code = await main(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stdoutBytes: (b) => process.stdout.write(b),
    stderr: (s) => process.stderr.write(s),
    readStdin,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    largeStackEntry: new URL(import.meta.url),
  });
  process.exitCode = code;
}
