import { beforeAll, describe, expect, it } from "vitest";
import { initEngine, noGrad, Rng, segment, tf, updatePlan, type ReasonerState, type RecursionSchedule } from "@recurse/core";
import { makeBatch, TinyReasoner } from "./support/tiny-reasoner";

describe("updatePlan", () => {
  it("TRM (T=3, n=2, last-cycle): two cycles without gradient, the whole last cycle with", () => {
    const plan = updatePlan({ cycles: 3, latentSteps: 2, gradient: "last-cycle" });
    expect(plan.noGrad).toEqual(["latent", "latent", "answer", "latent", "latent", "answer"]);
    expect(plan.withGrad).toEqual(["latent", "latent", "answer"]);
  });

  it("HRM (2, 2, last-step): L, L, H, L without gradient, then L, H with (spec §2)", () => {
    const plan = updatePlan({ cycles: 2, latentSteps: 2, gradient: "last-step" });
    expect(plan.noGrad).toEqual(["latent", "latent", "answer", "latent"]);
    expect(plan.withGrad).toEqual(["latent", "answer"]);
  });

  it("single-pass baseline (1, 0): one answer update, with gradient", () => {
    for (const gradient of ["last-cycle", "last-step"] as const) {
      const plan = updatePlan({ cycles: 1, latentSteps: 0, gradient });
      expect(plan.noGrad).toEqual([]);
      expect(plan.withGrad).toEqual(["answer"]);
    }
  });

  it("rejects negative or fractional latent steps", () => {
    expect(() => updatePlan({ cycles: 2, latentSteps: -1, gradient: "last-step" })).toThrow(/latentSteps/);
    expect(() => updatePlan({ cycles: 2, latentSteps: 1.5, gradient: "last-step" })).toThrow(/latentSteps/);
  });
});

describe("noGrad", () => {
  beforeAll(async () => {
    await initEngine("cpu");
  });

  it("what it computes is a constant to the gradient", () => {
    const w = tf.tidy(() => tf.variable(tf.scalar(3)));
    const { value, grads } = tf.variableGrads(() => {
      const frozen = noGrad(() => tf.mul(w, w)); // 9, constant
      return tf.mul(frozen, w) as tf.Scalar; // d/dw = 9 (not 27)
    }, [w]);
    expect(value.dataSync()[0]).toBe(27);
    expect(grads[w.name]!.dataSync()[0]).toBe(9);
    tf.dispose([value, grads[w.name]!, w]);
  });
});

/** Gradients of a scalar loss of the readout, through segment() inside the tape. */
function gradsThroughSegment(model: TinyReasoner, inputs: tf.Tensor2D, rows: tf.Tensor2D, state: ReasonerState) {
  const { grads, value } = tf.variableGrads(() => {
    const x = model.embed(inputs, rows);
    const { readout, state: next } = segment(model, x, state, { training: true });
    return tf.add(tf.sum(tf.square(readout.logits)), tf.add(tf.sum(readout.halt), tf.mul(0.1, tf.sum(next.z)))) as tf.Scalar;
  }, [...model.parameters().values()]);
  value.dispose();
  return grads;
}

/**
 * The same loss written out by hand: `frozenUpdates` run with no tape at all (plain forward calls, their result
 * passed in as data), the rest recorded. With frozenUpdates = 0 this is full backpropagation.
 */
function gradsExplicit(
  model: TinyReasoner,
  inputs: tf.Tensor2D,
  rows: tf.Tensor2D,
  state: ReasonerState,
  schedule: RecursionSchedule,
  frozenUpdates: number,
) {
  const order: ("L" | "H")[] = [];
  for (let c = 0; c < schedule.cycles; c++) {
    for (let l = 0; l < schedule.latentSteps; l++) order.push("L");
    order.push("H");
  }
  const apply = (x: tf.Tensor3D, s: ReasonerState, kinds: ("L" | "H")[]) => {
    for (const k of kinds) s = k === "L" ? { y: s.y, z: model.latentUpdate(x, s) } : { y: model.answerUpdate(x, s), z: s.z };
    return s;
  };
  const frozen = tf.tidy(() => {
    const x = model.embed(inputs, rows);
    const s = apply(x, state, order.slice(0, frozenUpdates));
    // Through host memory: provably no link to the weights.
    return { y: tf.tensor(s.y.arraySync()) as tf.Tensor3D, z: tf.tensor(s.z.arraySync()) as tf.Tensor3D };
  });
  const { grads, value } = tf.variableGrads(() => {
    const x = model.embed(inputs, rows);
    const s = apply(x, frozen, order.slice(frozenUpdates));
    const { logits, halt } = model.readout(s);
    return tf.add(tf.sum(tf.square(logits)), tf.add(tf.sum(halt), tf.mul(0.1, tf.sum(s.z)))) as tf.Scalar;
  }, [...model.parameters().values()]);
  tf.dispose([value, frozen.y, frozen.z]);
  return grads;
}

function maxAbs(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe("segment gradient windows", () => {
  beforeAll(async () => {
    await initEngine("cpu");
  });

  const cases: { schedule: RecursionSchedule; frozen: number }[] = [
    { schedule: { cycles: 3, latentSteps: 2, gradient: "last-cycle" }, frozen: 6 },
    { schedule: { cycles: 2, latentSteps: 2, gradient: "last-step" }, frozen: 4 },
    { schedule: { cycles: 2, latentSteps: 3, gradient: "last-step" }, frozen: 6 },
  ];
  for (const { schedule, frozen } of cases) {
    it(`${schedule.gradient} (T=${schedule.cycles}, n=${schedule.latentSteps}) equals the explicit truncated gradient, not full backprop`, () => {
      const model = new TinyReasoner({ schedule, seqLen: 5, vocab: 6 });
      const batch = makeBatch(new Rng(4), 3, 5, 6);
      const inputs = tf.tensor2d(batch.inputs, [3, 5], "int32");
      const rows = tf.gather(model.puzzleEmbedding!.table, batch.puzzleIds) as tf.Tensor2D;
      // A non-trivial start state (as after earlier supervision steps).
      const state = tf.tidy(() => {
        const s = model.initialState(3);
        const x = model.embed(inputs, rows);
        return { y: model.answerUpdate(x, { y: s.y, z: model.latentUpdate(x, s) }), z: model.latentUpdate(x, s) };
      });
      const before = tf.memory().numTensors;
      const got = gradsThroughSegment(model, inputs, rows, state);
      const leaked = tf.memory().numTensors - before - Object.keys(got).length;
      expect(leaked).toBe(0);
      const explicit = gradsExplicit(model, inputs, rows, state, schedule, frozen);
      const full = gradsExplicit(model, inputs, rows, state, schedule, 0);
      const names = [...model.parameters().entries()];
      for (const [ref, v] of names) {
        expect(got[v.name], ref).toBeDefined();
        expect(maxAbs(got[v.name]!, explicit[v.name]!), ref).toBeLessThan(1e-6);
      }
      // Truncation matters: the latent weights' gradient differs from full backpropagation.
      const L = model.p("L.weight").name;
      expect(maxAbs(got[L]!, full[L]!)).toBeGreaterThan(1e-4);
      tf.dispose([...Object.values(got), ...Object.values(explicit), ...Object.values(full)] as tf.Tensor[]);
      tf.dispose([inputs, rows, state.y, state.z]);
      model.dispose();
    });
  }

  it("a single-cycle, single-latent-step schedule is fully differentiated", () => {
    const schedule: RecursionSchedule = { cycles: 1, latentSteps: 1, gradient: "last-step" };
    const model = new TinyReasoner({ schedule, seqLen: 4 });
    const batch = makeBatch(new Rng(2), 2, 4, 5);
    const inputs = tf.tensor2d(batch.inputs, [2, 4], "int32");
    const rows = tf.gather(model.puzzleEmbedding!.table, batch.puzzleIds) as tf.Tensor2D;
    const state = model.initialState(2);
    const got = gradsThroughSegment(model, inputs, rows, state);
    const full = gradsExplicit(model, inputs, rows, state, schedule, 0);
    for (const v of model.parameters().values()) expect(maxAbs(got[v.name]!, full[v.name]!)).toBeLessThan(1e-6);
    tf.dispose([...Object.values(got), ...Object.values(full)] as tf.Tensor[]);
    tf.dispose([inputs, rows, state.y, state.z]);
    model.dispose();
  });

  it("evaluation mode computes the same values without a tape and leaks nothing", () => {
    const model = new TinyReasoner({ seqLen: 4 });
    const batch = makeBatch(new Rng(3), 2, 4, 5);
    const inputs = tf.tensor2d(batch.inputs, [2, 4], "int32");
    const rows = tf.gather(model.puzzleEmbedding!.table, batch.puzzleIds) as tf.Tensor2D;
    const state = model.initialState(2);
    const x = model.embed(inputs, rows);
    const before = tf.memory().numTensors;
    const evalRun = segment(model, x, state, { training: false });
    const trainRun = segment(model, x, state, { training: true }); // outside a tape: same values
    expect(Array.from(evalRun.readout.logits.dataSync())).toEqual(Array.from(trainRun.readout.logits.dataSync()));
    expect(Array.from(evalRun.state.z.dataSync())).toEqual(Array.from(trainRun.state.z.dataSync()));
    for (const r of [evalRun, trainRun]) tf.dispose([r.state.y, r.state.z, r.readout.logits, r.readout.halt, r.readout.continue!]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([inputs, rows, state.y, state.z, x]);
    model.dispose();
  });
});
