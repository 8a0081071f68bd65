import { describe, expect, it } from "vitest";
import { closestNames, editDistance, NameIndex, wildcardToRegExp } from "./names.ts";

describe("NameIndex", () => {
  const idx = new NameIndex(["vfs_read", "vfs_write", "vfs_readv", "tcp_sendmsg", "tcp_recvmsg", "vfs_read"]);
  it("sorts and removes duplicates", () => {
    expect(idx.names).toEqual(["tcp_recvmsg", "tcp_sendmsg", "vfs_read", "vfs_readv", "vfs_write"]);
    expect(idx.size).toBe(5);
  });
  it("answers prefix queries, with a limit and a count", () => {
    expect(idx.withPrefix("vfs_r")).toEqual(["vfs_read", "vfs_readv"]);
    expect(idx.withPrefix("vfs_", 1)).toEqual(["vfs_read"]);
    expect(idx.withPrefix("zzz")).toEqual([]);
    expect(idx.countWithPrefix("tcp_")).toBe(2);
    expect(idx.countWithPrefix("")).toBe(5);
  });
  it("matches wildcards before and after sorting", () => {
    const fresh = new NameIndex(["b_x", "a_x", "a_y"]);
    expect(fresh.matching("*_x")).toEqual(["a_x", "b_x"]);
    expect(idx.matching("tcp_*msg")).toEqual(["tcp_recvmsg", "tcp_sendmsg"]);
    expect(idx.matching("vfs_rea?")).toEqual(["vfs_read"]);
    expect(idx.matching("nothing*")).toEqual([]);
    expect(idx.matching("vfs_read")).toEqual(["vfs_read"]);
  });
  it("suggests close names", () => {
    expect(idx.closest("vfs_readx")).toEqual(["vfs_read", "vfs_readv"]);
    expect(idx.closest("completely_different")).toEqual([]);
  });
});

describe("edit distance and wildcards", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("pidd", "pid")).toBe(1);
    expect(editDistance("filenme", "filename")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("abc", "abcdefgh", 2)).toBe(3);
  });
  it("keeps the closest first", () => {
    expect(closestNames("sys_enter_opn", ["sys_enter_openat", "sys_exit_open", "sys_enter_open"])).toEqual(["sys_enter_open", "sys_enter_openat"]);
  });
  it("escapes regular-expression characters and supports classes", () => {
    expect(wildcardToRegExp("a.b*").test("a.bc")).toBe(true);
    expect(wildcardToRegExp("a.b*").test("axbc")).toBe(false);
    expect(wildcardToRegExp("sys_[ab]x").test("sys_bx")).toBe(true);
  });
});

describe("remembered wildcard answers", () => {
  it("answer the same before and after the names are sorted, and a caller's changes do not leak into the next answer", () => {
    const index = new NameIndex(["vfs_write", "vfs_read", "vfs_readv", "do_sys_open"]);
    const first = index.matching("vfs_read*");
    expect(first).toEqual(["vfs_read", "vfs_readv"]);
    first.push("changed");
    index.withPrefix("v");
    expect(index.matching("vfs_read*")).toEqual(["vfs_read", "vfs_readv"]);
    expect(index.matching("vfs_*", 1)).toEqual(["vfs_read"]);
    expect([index.countMatching("vfs_*"), index.countMatching("vfs_read"), index.countMatching("vfs_reed"), index.countMatching("*o*")]).toEqual([3, 1, 0, 1]);
  });
});
