import { describe, expect, it } from "vitest";
import { Rng } from "@recurse/core";

describe("Rng", () => {
  it("is reproducible per seed and differs across seeds", () => {
    const a = Array.from({ length: 5 }, () => 0).map(((r) => () => r.nextUint32())(new Rng(7)));
    const b = Array.from({ length: 5 }, () => 0).map(((r) => () => r.nextUint32())(new Rng(7)));
    const c = Array.from({ length: 5 }, () => 0).map(((r) => () => r.nextUint32())(new Rng(8)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("resumes exactly from a saved state", () => {
    const r = new Rng(123);
    for (let i = 0; i < 10; i++) r.next();
    const saved = r.getState();
    const expected = Array.from({ length: 20 }, () => r.next());
    const resumed = new Rng(0).setState(saved);
    expect(Array.from({ length: 20 }, () => resumed.next())).toEqual(expected);
  });

  it("draws integers in range with roughly uniform frequency", () => {
    const r = new Rng(1);
    const counts = new Array(5).fill(0);
    for (let i = 0; i < 50_000; i++) counts[r.int(2, 7) - 2]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    const p = r.permutation(100);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
