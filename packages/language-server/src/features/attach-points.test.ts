import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ATTACH_POINTS_COMMAND, type AttachPointInfo } from "../protocol.ts";
import { startClient, type TestClient } from "../testing/harness.ts";

let client: TestClient;
beforeAll(async () => {
  client = await startClient({ settings: { target: "0.27" } });
});
afterAll(() => client.shutdown());

describe("attach points command", () => {
  it("is announced and lists every attach point with its provider, range and probe", async () => {
    expect(client.initializeResult.capabilities.executeCommandProvider).toEqual({ commands: [ATTACH_POINTS_COMMAND] });
    const uri = client.open("aps.bt", "BEGIN { }\nkprobe:vfs_read,\n  kretprobe:vfs_read { }\nt*:syscalls:* { }\n");
    const found = await client.request<AttachPointInfo[]>("workspace/executeCommand", { command: ATTACH_POINTS_COMMAND, arguments: [uri] });
    expect(found.map((a) => [a.text, a.provider, a.range.start.line, a.range.start.character, a.probe])).toEqual([
      ["BEGIN", "begin", 0, 0, 0],
      ["kprobe:vfs_read", "kprobe", 1, 0, 1],
      ["kretprobe:vfs_read", "kretprobe", 2, 2, 1],
      ["t*:syscalls:*", null, 3, 0, 2],
    ]);
    expect(await client.request("workspace/executeCommand", { command: ATTACH_POINTS_COMMAND, arguments: ["file:///not/open.bt"] })).toBeNull();
  });
});
