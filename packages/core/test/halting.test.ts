import { describe, expect, it } from "vitest";
import { decideHalting, explorationMinSteps, haltingPolicy, Rng } from "@recurse/core";

const steps = Int32Array.from([1, 2, 3, 4]);
const qHalt = [0.5, -0.5, 2, -3];
const qContinue = [1, -1, 1, -1];

describe("halting policies", () => {
  it("halt-logit (TRM) halts where q_halt > 0 or at the limit in training", () => {
    const p = haltingPolicy({ policy: "halt-logit", maxSteps: 4, explorationProb: 0 });
    expect(Array.from(decideHalting(p, { steps, qHalt, mode: "train" }))).toEqual([1, 0, 1, 1]);
  });

  it("q-learning (HRM) halts where q_halt > q_continue", () => {
    const p = haltingPolicy({ policy: "q-learning", maxSteps: 4, explorationProb: 0 });
    expect(Array.from(decideHalting(p, { steps, qHalt, qContinue, mode: "train" }))).toEqual([0, 1, 1, 1]);
    expect(() => decideHalting(p, { steps, qHalt, mode: "train" })).toThrow(/continue logit/);
  });

  it("fixed halts only at the limit", () => {
    const p = haltingPolicy({ policy: "fixed", maxSteps: 3, explorationProb: 0 });
    expect(Array.from(decideHalting(p, { steps, qHalt, mode: "train" }))).toEqual([0, 0, 1, 1]);
  });

  it("evaluation runs every example to the limit; adaptive evaluation uses the policy", () => {
    const p = haltingPolicy({ policy: "halt-logit", maxSteps: 4, explorationProb: 0.5 });
    expect(Array.from(decideHalting(p, { steps, qHalt, mode: "eval" }))).toEqual([0, 0, 0, 1]);
    expect(Array.from(decideHalting(p, { steps, qHalt, mode: "adaptive" }))).toEqual([1, 0, 1, 1]);
  });

  it("a one-step limit always halts, with no policy or exploration", () => {
    const p = haltingPolicy({ policy: "halt-logit", maxSteps: 1, explorationProb: 1 });
    const rng = new Rng(1);
    const state = rng.getState();
    expect(Array.from(decideHalting(p, { steps: Int32Array.from([1, 1]), qHalt: [-5, 5], mode: "train", rng, explorationProb: 1 }))).toEqual([1, 1]);
    expect(rng.getState()).toEqual(state); // no draws, as the reference (halt_max_steps > 1 guard)
  });

  it("rejects unknown policies and bad limits with the field named", () => {
    expect(() => haltingPolicy({ policy: "nope" as never, maxSteps: 2, explorationProb: 0 })).toThrow(/halting.policy/);
    expect(() => haltingPolicy({ policy: "fixed", maxSteps: 0, explorationProb: 0 })).toThrow(/halting.maxSteps/);
  });
});

describe("exploration", () => {
  it("draws uniforms first, then integers in [2, maxSteps], for every example", () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const got = explorationMinSteps(a, 3, 0.5, 16);
    const u = [b.next(), b.next(), b.next()];
    const k = [b.int(2, 17), b.int(2, 17), b.int(2, 17)];
    expect(Array.from(got)).toEqual(u.map((v, i) => (v < 0.5 ? k[i] : 0)));
    expect(a.getState()).toEqual(b.getState());
  });

  it("with probability 1 every minimum is uniform over [2, maxSteps], each value seen", () => {
    const counts = new Map<number, number>();
    const mins = explorationMinSteps(new Rng(3), 6000, 1, 6);
    for (const m of mins) counts.set(m, (counts.get(m) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([2, 3, 4, 5, 6]);
    for (const c of counts.values()) expect(Math.abs(c / 6000 - 0.2)).toBeLessThan(0.03);
  });

  it("with probability p about a fraction p of examples get a minimum", () => {
    const mins = explorationMinSteps(new Rng(5), 10000, 0.1, 16);
    const frac = mins.filter((m) => m > 0).length / mins.length;
    expect(Math.abs(frac - 0.1)).toBeLessThan(0.015);
  });

  it("an example under its minimum does not halt, even at q_halt > 0; the limit always wins", () => {
    const p = haltingPolicy({ policy: "halt-logit", maxSteps: 4, explorationProb: 1 });
    const n = 400;
    const s = Int32Array.from({ length: n }, (_, i) => 1 + (i % 4));
    const q = new Array(n).fill(10);
    const halted = decideHalting(p, { steps: s, qHalt: q, mode: "train", rng: new Rng(11), explorationProb: 1 });
    const mins = explorationMinSteps(new Rng(11), n, 1, 4);
    for (let i = 0; i < n; i++) expect(halted[i]).toBe(s[i] >= mins[i] ? 1 : 0);
    for (let i = 0; i < n; i++) if (s[i] === 4) expect(halted[i]).toBe(1);
    expect(halted.some((h, i) => h === 0 && s[i] >= 2)).toBe(true);
  });
});
