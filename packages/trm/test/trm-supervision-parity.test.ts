/**
 * Full parity with the reference through core's deep-supervision step (ACT wrapper + loss head): the 3 eval steps
 * free-running and the 3 training steps (halting, slot restarts, losses, metrics and every gradient, the
 * puzzle-embedding rows' gradient included). Gradients are of the loss as the reference loss head returns it
 * (gradScale 1), as the fixtures record them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initEngine, initialCarry, disposeCarry, supervisionStep, tf, type PuzzleBatch, type SupervisionCarry } from "@recurse/core";
import { loadFixtureJson, loadFixtureTensors, maxRelError, type FixtureTensor } from "../../../test-support/reference-fixtures";
import { fixtureModel, type TrmSet } from "./fixture-model";

beforeAll(async () => {
  await initEngine("cpu");
});

const report: Record<string, Record<string, number>> = {};
afterAll(() => {
  for (const [label, errors] of Object.entries(report)) {
    console.log(`${label}: max relative error per tensor group`);
    for (const [k, v] of Object.entries(errors)) console.log(`  ${k.padEnd(30)} ${v.toExponential(2)}`);
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

const TOL: Record<TrmSet, { tensors: number[]; grads: number[] }> = {
  // Per step 1..3: one-step tolerance, then free-running / own-carry ones (fixtures README).
  trm_attn: { tensors: [2e-5, 2e-5, 2e-5], grads: [1e-4, 1e-4, 1e-4] },
  trm_mlp_t: { tensors: [1e-4, 1e-3, 1e-3], grads: [1e-4, 1e-3, 1e-3] },
};

function checkStep(
  set: TrmSet,
  mode: "eval" | "train",
  step: number,
  ref: Map<string, FixtureTensor>,
  scalars: any,
  r: ReturnType<typeof supervisionStep>,
  worst: (group: string, e: number) => void,
): void {
  const p = `${mode}/step${step}`;
  const tol = TOL[set].tensors[step - 1];
  const check = (group: string, got: ArrayLike<number>, name: string, t = tol) => {
    const e = maxRelError(got, ref.get(name)!.data as Float32Array);
    worst(group, e);
    expect(e, name).toBeLessThanOrEqual(t);
  };
  check("logits", r.outputs.logits!.dataSync(), `${p}/logits`);
  check("q_halt", r.outputs.qHalt, `${p}/q_halt_logits`);
  check("q_continue", r.outputs.qContinue!, `${p}/q_continue_logits`);
  check("z_H", r.carry.state.y.dataSync(), `${p}/z_H`);
  check("z_L", r.carry.state.z.dataSync(), `${p}/z_L`);
  expect(Array.from(r.outputs.predictions!), `${p}/preds`).toEqual(Array.from(ref.get(`${p}/preds`)!.data));
  expect(Array.from(r.carry.halted), `${p}/halted`).toEqual(Array.from(ref.get(`${p}/halted`)!.data));
  expect(Array.from(r.carry.steps), `${p}/steps`).toEqual(Array.from(ref.get(`${p}/steps`)!.data));
  expect(Array.from(r.carry.data.inputs)).toEqual(Array.from(ref.get(`${p}/current_data/inputs`)!.data));
  expect(Array.from(r.carry.data.labels)).toEqual(Array.from(ref.get(`${p}/current_data/labels`)!.data));
  expect(Array.from(r.carry.data.puzzleIds)).toEqual(Array.from(ref.get(`${p}/current_data/puzzle_identifiers`)!.data));

  const s = scalars[mode][step - 1];
  const m = r.metrics;
  for (const [ours, theirs] of [[m.loss, s.loss.value], [m.lmLoss, s.metrics.lm_loss.value], [m.qHaltLoss, s.metrics.q_halt_loss.value]]) {
    worst("losses", rel(ours, theirs));
    expect(rel(ours, theirs), `${p} loss`).toBeLessThanOrEqual(1e-5);
  }
  expect(m.count).toBe(s.metrics.count.value);
  expect(m.exactAccuracy).toBe(s.metrics.exact_accuracy.value);
  expect(m.qHaltAccuracy).toBe(s.metrics.q_halt_accuracy.value);
  expect(m.steps).toBe(s.metrics.steps.value);
  expect(m.accuracy).toBeCloseTo(s.metrics.accuracy.value, 6);
  expect(r.carry.halted.every((h) => h === 1)).toBe(s.all_finish);
}

describe.each(["trm_attn", "trm_mlp_t"] as TrmSet[])("TRM supervision-step parity (%s)", (set) => {
  it("3 eval steps, free-running: outputs, carries, losses, metrics, halting", () => {
    const before = tf.memory().numTensors;
    const ref = loadFixtureTensors(set, "tensors");
    const scalars = loadFixtureJson(set, "scalars");
    const model = fixtureModel(set);
    const errors: Record<string, number> = {};
    const worst = (g: string, e: number) => (errors[g] = Math.max(errors[g] ?? 0, e));
    const batch = batchOf(ref, "batch");
    let carry: SupervisionCarry = initialCarry(model, batch.batchSize, batch.seqLen);
    for (let step = 1; step <= 3; step++) {
      const r = supervisionStep(model, carry, batch, { training: false, outputs: true });
      checkStep(set, "eval", step, ref, scalars, r, (g, e) => worst(`step${step} ${g}`, e));
      r.outputs.logits!.dispose();
      carry = r.carry;
    }
    report[`${set} eval`] = errors;
    disposeCarry(carry);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("3 training steps: halting and restarts, losses, metrics, every gradient incl. puzzle rows", () => {
    const before = tf.memory().numTensors;
    const ref = loadFixtureTensors(set, "tensors");
    const scalars = loadFixtureJson(set, "scalars");
    const model = fixtureModel(set);
    const errors: Record<string, number> = {};
    const batches = ["batch", "train_batch2", "train_batch3"].map((b) => batchOf(ref, b));
    let carry: SupervisionCarry = initialCarry(model, 4, 16);
    for (let step = 1; step <= 3; step++) {
      const worst = (g: string, e: number) => (errors[`step${step} ${g}`] = Math.max(errors[`step${step} ${g}`] ?? 0, e));
      const r = supervisionStep(model, carry, batches[step - 1], { training: true, gradScale: 1, outputs: true });
      checkStep(set, "train", step, ref, scalars, r, worst);
      expect(scalars.train[step - 1].params_without_grad).toEqual([]);
      const gradNames = [...ref.keys()].filter((k) => k.startsWith(`train/step${step}/grad/`));
      const paramNames = [...model.parameters().keys()];
      expect(gradNames.length).toBe(paramNames.length + 1);
      expect([...r.grads!.keys()].sort()).toEqual(paramNames.sort());
      const gtol = TOL[set].grads[step - 1];
      for (const name of gradNames) {
        const param = name.slice(`train/step${step}/grad/`.length);
        const got = param === "inner.puzzle_emb.local_weights" ? r.puzzleGrad! : r.grads!.get(param)!;
        const e = maxRelError(got.dataSync(), ref.get(name)!.data as Float32Array);
        worst(param === "inner.puzzle_emb.local_weights" ? "grad puzzle rows" : "grads (worst param)", e);
        expect(e, name).toBeLessThanOrEqual(gtol);
      }
      tf.dispose([...r.grads!.values(), r.puzzleGrad!, r.outputs.logits!]);
      carry = r.carry;
    }
    report[`${set} train`] = errors;
    disposeCarry(carry);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
