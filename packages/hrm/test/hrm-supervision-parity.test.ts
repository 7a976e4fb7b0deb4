/**
 * Full parity with the reference HRM through core's deep-supervision step (ACT wrapper + loss head): the 3 eval
 * steps free-running and the 3 training steps (Q-learning halting, slot restarts, the bootstrapped
 * target_q_continue from the engine's extra no-grad forward, losses incl. q_continue_loss, metrics and every
 * gradient, the puzzle-embedding rows' gradient included). Gradients are of the loss as the reference loss head
 * returns it (gradScale 1), as the fixtures record them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disposeCarry, initEngine, initialCarry, supervisionStep, tf, type PuzzleBatch, type SupervisionCarry } from "@recurse/core";
import { loadFixtureJson, loadFixtureTensors, maxRelError, type FixtureTensor } from "../../../test-support/reference-fixtures";
import { fixtureModel } from "./fixture-model";

beforeAll(async () => {
  await initEngine("cpu");
});

const report: Record<string, Record<string, number>> = {};
afterAll(() => {
  for (const [label, errors] of Object.entries(report)) {
    console.log(`hrm ${label}: max relative error per tensor group`);
    for (const [k, v] of Object.entries(errors)) console.log(`  ${k.padEnd(32)} ${v.toExponential(2)}`);
  }
});

function batchOf(ref: Map<string, FixtureTensor>, prefix: string): PuzzleBatch {
  const inputs = ref.get(`${prefix}/inputs`)!;
  return {
    inputs: Int32Array.from(inputs.data),
    labels: Int32Array.from(ref.get(`${prefix}/labels`)!.data),
    puzzleIds: Int32Array.from(ref.get(`${prefix}/puzzle_identifiers`)!.data),
    batchSize: inputs.shape[0],
    seqLen: inputs.shape[1],
  };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30);

/**
 * Fixtures README: one step ≤ 1e-4 with 2e-5 achievable for hrm (free-running eval steps 2–3 measured ≤ 1.1e-5
 * against float64); gradients ≤ 1e-4 for every step of hrm; losses ≤ 1e-5; metrics, halted and steps exact.
 */
const TOL = { tensors: 2e-5, grads: 1e-4, losses: 1e-5 };

function checkStep(
  mode: "eval" | "train",
  step: number,
  ref: Map<string, FixtureTensor>,
  scalars: any,
  r: ReturnType<typeof supervisionStep>,
  worst: (group: string, e: number) => void,
): void {
  const p = `${mode}/step${step}`;
  const check = (group: string, got: ArrayLike<number>, name: string) => {
    const e = maxRelError(got, ref.get(name)!.data as Float32Array);
    worst(group, e);
    expect(e, name).toBeLessThanOrEqual(TOL.tensors);
  };
  check("logits", r.outputs.logits!.dataSync(), `${p}/logits`);
  check("q_halt", r.outputs.qHalt, `${p}/q_halt_logits`);
  check("q_continue", r.outputs.qContinue!, `${p}/q_continue_logits`);
  check("z_H", r.carry.state.y.dataSync(), `${p}/z_H`);
  check("z_L", r.carry.state.z.dataSync(), `${p}/z_L`);
  if (mode === "train") {
    check("target_q_continue", r.outputs.targetQContinue!, `${p}/target_q_continue`);
  } else {
    expect(r.outputs.targetQContinue).toBeUndefined();
  }
  expect(Array.from(r.carry.halted), `${p}/halted`).toEqual(Array.from(ref.get(`${p}/halted`)!.data));
  expect(Array.from(r.carry.steps), `${p}/steps`).toEqual(Array.from(ref.get(`${p}/steps`)!.data));
  expect(Array.from(r.carry.data.inputs)).toEqual(Array.from(ref.get(`${p}/current_data/inputs`)!.data));
  expect(Array.from(r.carry.data.labels)).toEqual(Array.from(ref.get(`${p}/current_data/labels`)!.data));
  expect(Array.from(r.carry.data.puzzleIds)).toEqual(Array.from(ref.get(`${p}/current_data/puzzle_identifiers`)!.data));

  const s = scalars[mode][step - 1];
  const m = r.metrics;
  const losses: [string, number, number][] = [
    ["loss", m.loss, s.loss.value],
    ["lm_loss", m.lmLoss, s.metrics.lm_loss.value],
    ["q_halt_loss", m.qHaltLoss, s.metrics.q_halt_loss.value],
  ];
  if (mode === "train") losses.push(["q_continue_loss", m.qContinueLoss, s.metrics.q_continue_loss.value]);
  else expect(m.qContinueLoss).toBe(0);
  for (const [name, ours, theirs] of losses) {
    worst("losses", rel(ours, theirs));
    expect(rel(ours, theirs), `${p} ${name}`).toBeLessThanOrEqual(TOL.losses);
  }
  expect(m.count).toBe(s.metrics.count.value);
  expect(m.exactAccuracy).toBe(s.metrics.exact_accuracy.value);
  expect(m.qHaltAccuracy).toBe(s.metrics.q_halt_accuracy.value);
  expect(m.steps).toBe(s.metrics.steps.value);
  // The reference sums float32 token accuracies; ours sums doubles: equal to float32 rounding.
  expect(Math.fround(m.accuracy)).toBeCloseTo(s.metrics.accuracy.value, 6);
  expect(r.carry.halted.every((h) => h === 1)).toBe(s.all_finish);
}

describe("HRM supervision-step parity (fixtures/reference/hrm)", () => {
  it("3 eval steps, free-running: outputs, carries, losses, metrics, halting", () => {
    const before = tf.memory().numTensors;
    const ref = loadFixtureTensors("hrm", "tensors");
    const scalars = loadFixtureJson("hrm", "scalars");
    const model = fixtureModel();
    const errors: Record<string, number> = {};
    const batch = batchOf(ref, "batch");
    let carry: SupervisionCarry = initialCarry(model, batch.batchSize, batch.seqLen);
    for (let step = 1; step <= 3; step++) {
      const worst = (g: string, e: number) => (errors[`step${step} ${g}`] = Math.max(errors[`step${step} ${g}`] ?? 0, e));
      const r = supervisionStep(model, carry, batch, { training: false, outputs: true });
      checkStep("eval", step, ref, scalars, r, worst);
      r.outputs.logits!.dispose();
      carry = r.carry;
    }
    report.eval = errors;
    disposeCarry(carry);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("3 training steps: Q-learning halting, restarts, target_q_continue, losses, metrics, every gradient", () => {
    const before = tf.memory().numTensors;
    const ref = loadFixtureTensors("hrm", "tensors");
    const scalars = loadFixtureJson("hrm", "scalars");
    const model = fixtureModel();
    expect(model.halting).toEqual({ policy: "q-learning", maxSteps: 3, explorationProb: 0 });
    const errors: Record<string, number> = {};
    const batches = ["batch", "train_batch2", "train_batch3"].map((b) => batchOf(ref, b));
    let carry: SupervisionCarry = initialCarry(model, 4, 16);
    for (let step = 1; step <= 3; step++) {
      const worst = (g: string, e: number) => (errors[`step${step} ${g}`] = Math.max(errors[`step${step} ${g}`] ?? 0, e));
      const r = supervisionStep(model, carry, batches[step - 1], { training: true, gradScale: 1, outputs: true });
      checkStep("train", step, ref, scalars, r, worst);
      expect(scalars.train[step - 1].params_without_grad).toEqual([]);
      const gradNames = [...ref.keys()].filter((k) => k.startsWith(`train/step${step}/grad/`));
      const paramNames = [...model.parameters().keys()];
      expect(gradNames.length).toBe(paramNames.length + 1);
      expect([...r.grads!.keys()].sort()).toEqual(paramNames.sort());
      for (const name of gradNames) {
        const param = name.slice(`train/step${step}/grad/`.length);
        const isRows = param === "inner.puzzle_emb.local_weights";
        const got = isRows ? r.puzzleGrad! : r.grads!.get(param)!;
        expect(got.shape, name).toEqual(ref.get(name)!.shape);
        const e = maxRelError(got.dataSync(), ref.get(name)!.data as Float32Array);
        const group = isRows ? "grad puzzle local_weights" : `grad ${param.replace(/^inner\.|\.layers\.\d+|\.weight$|_weight$/g, "")}`;
        worst(group, e);
        expect(e, name).toBeLessThanOrEqual(TOL.grads);
      }
      tf.dispose([...r.grads!.values(), r.puzzleGrad!, r.outputs.logits!]);
      carry = r.carry;
    }
    report.train = errors;
    disposeCarry(carry);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
