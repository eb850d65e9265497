import { describe, expect, it } from "vitest";
import { fmix32, hashSequence, hashSequence53, hashString, hashString53, murmur3 } from "./hash";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("murmur3 (x86_32)", () => {
  // Published MurmurHash3_x86_32 test vectors (SMHasher's algorithm; the same values
  // come out of Python's mmh3.hash(data, seed, signed=False)).
  it.each([
    ["", 0, 0],
    ["", 1, 0x514e28b7],
    ["", 0xffffffff, 0x81f16f39],
    ["a", 0x9747b28c, 0x7fa09ea6],
    ["aa", 0x9747b28c, 0x5d211726],
    ["abc", 0x9747b28c, 0xc84a62dd],
    ["aaaa", 0x9747b28c, 0x5a97808a],
    ["Hello, world!", 0x9747b28c, 0x24884cba],
    ["The quick brown fox jumps over the lazy dog", 0x9747b28c, 0x2fa826cd],
  ])("%j with seed %d", (text, seed, expected) => {
    expect(murmur3(bytes(text), seed)).toBe(expected);
    expect(hashString(text, seed)).toBe(expected);
  });

  it("hashes four zero bytes as published", () => {
    expect(murmur3(new Uint8Array(4), 0)).toBe(0x2362f9de);
  });

  it("hashes strings by their UTF-8 bytes, long ones too", () => {
    const text = "héllo 😀 ".repeat(500);
    expect(hashString(text, 7)).toBe(murmur3(bytes(text), 7));
  });
});

describe("derived hashes", () => {
  it("fmix32 is the murmur3 finaliser", () => {
    // murmur3 of the empty input with seed s is exactly fmix32(s).
    expect(fmix32(1)).toBe(0x514e28b7);
    expect(fmix32(0)).toBe(0);
  });

  it("hashSequence depends on order and range", () => {
    const v = Uint32Array.of(1, 2, 3, 4);
    expect(hashSequence(v, 0, 2)).not.toBe(hashSequence(Uint32Array.of(2, 1)));
    expect(hashSequence(v, 1, 3)).toBe(hashSequence(Uint32Array.of(2, 3)));
    // one 32-bit block per value, little-endian: the same as murmur3 of those bytes
    expect(hashSequence(Uint32Array.of(0x61616161))).toBe(murmur3(bytes("aaaa")));
  });

  it("53-bit hashes are safe integers and spread", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 20000; i++) {
      const h = hashString53(`item ${i}`);
      expect(Number.isSafeInteger(h) && h >= 0).toBe(true);
      seen.add(h);
    }
    expect(seen.size).toBe(20000);
    expect(Number.isSafeInteger(hashSequence53(Uint32Array.of(5, 6)))).toBe(true);
  });
});
