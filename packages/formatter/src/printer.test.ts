import { describe, expect, it } from "vitest";
import { format } from "./format.ts";

/**
 * The printer hands Prettier the one-line text of a statement, predicate or `if`/`while` header
 * that fits, and prints plain items itself (printer.ts: flatLine, printPlain). These are the
 * widths where a line stops fitting: at the wider width the line is kept whole, one column less
 * and Prettier breaks it, as it did before those shortcuts.
 */
describe("lines at the edge of the width", () => {
  const cases: { name: string; text: string; options?: { useTabs?: boolean }; width: number; fits: string; breaks: string }[] = [
    {
      name: "a statement in a probe's body",
      text: "begin { @total_bytes[comm, pid] = sum(args.bytes); }",
      width: 44,
      fits: "begin\n{\n  @total_bytes[comm, pid] = sum(args.bytes);\n}\n",
      breaks: "begin\n{\n  @total_bytes[comm, pid] = sum(\n    args.bytes\n  );\n}\n",
    },
    {
      name: "an else-if header after `} else `",
      text: "begin { if ($a && $bb || $ccc) { print(1); } else if ($dddd > 1) { print(2); } }",
      width: 25,
      fits: "begin\n{\n  if ($a && $bb || $ccc) {\n    print(1);\n  } else if ($dddd > 1) {\n    print(2);\n  }\n}\n",
      breaks: "begin\n{\n  if ($a && $bb || $ccc) {\n    print(1);\n  } else if ($dddd >\n    1) {\n    print(2);\n  }\n}\n",
    },
    {
      name: "a string of double-width characters (counted as Prettier counts them)",
      text: 'begin { @name["日本語の名前", pid] = count(); }',
      width: 39,
      fits: 'begin\n{\n  @name["日本語の名前", pid] = count();\n}\n',
      breaks: 'begin\n{\n  @name[\n    "日本語の名前",\n    pid\n  ] = count();\n}\n',
    },
    {
      name: "a predicate",
      text: 'kprobe:f /pid == 1 && comm == "bash"/ { @[tid] = nsecs; }',
      width: 27,
      fits: 'kprobe:f\n/pid == 1 && comm == "bash"/\n{\n  @[tid] = nsecs;\n}\n',
      breaks: 'kprobe:f\n/pid == 1 &&\n comm == "bash"/\n{\n  @[tid] = nsecs;\n}\n',
    },
    {
      name: "a statement with a line comment after it (not counted)",
      text: "begin { @x[pid, tid] = 1; // one\n}",
      width: 19,
      fits: "begin\n{\n  @x[pid, tid] = 1; // one\n}\n",
      breaks: "begin\n{\n  @x[\n    pid,\n    tid\n  ] = 1; // one\n}\n",
    },
    {
      name: "a statement indented with tabs (a tab counts as the tab width)",
      text: "begin { if (1) { @m[aaaaaaaa, bbbbbbbbbb] = (cccccccccc, dddddd); } }",
      options: { useTabs: true },
      width: 52,
      fits: "begin\n{\n\tif (1) {\n\t\t@m[aaaaaaaa, bbbbbbbbbb] = (cccccccccc, dddddd);\n\t}\n}\n",
      breaks: "begin\n{\n\tif (1) {\n\t\t@m[aaaaaaaa, bbbbbbbbbb] = (\n\t\t\tcccccccccc,\n\t\t\tdddddd\n\t\t);\n\t}\n}\n",
    },
  ];
  for (const c of cases) {
    it(`${c.name}: whole at width ${c.width}, broken at ${c.width - 1}`, async () => {
      expect(await format(c.text, { ...c.options, printWidth: c.width })).toBe(c.fits);
      expect(await format(c.text, { ...c.options, printWidth: c.width - 1 })).toBe(c.breaks);
    });
  }
});

describe("items Prettier prints and items printed plain, in one program", () => {
  it("a statement too wide for one line (Prettier's) between plain items, a blank line and end-of-line comments kept", async () => {
    const text =
      "macro add(x) { x + 1 }\n\nbegin { @a = 1; /* a */\n\n  printf(\"%d %d %d\\n\", aaaaaaaaaa, bbbbbbbbbb, cccccccccc); // p\n}\nend { clear(@a); }\n";
    expect(await format(text, { printWidth: 40, tabWidth: 4 })).toBe(
      "macro add(x)\n{\n    x + 1\n}\n\nbegin\n{\n    @a = 1; /* a */\n\n" +
        '    printf("%d %d %d\\n", aaaaaaaaaa,\n           bbbbbbbbbb, cccccccccc); // p\n}\nend\n{\n    clear(@a);\n}\n',
    );
  });
});
