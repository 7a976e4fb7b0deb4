/**
 * Full parity with the reference through core's deep-supervision step (ACT wrapper + loss head): the 3 eval steps
 * free-running and the 3 training steps (halting, slot restarts, losses, metrics and every gradient, the
 * puzzle-embedding rows' gradient included). Gradients are of the loss as the reference loss head returns it
 * (gradScale 1), as the fixtures record them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initEngine, initialCarry, disposeCarry, supervisionStep, tf, type SupervisionCarry } from "@recurse/core";
import { loadFixtureJson, loadFixtureTensors, maxRelError, printErrorTable, relError, type FixtureTensor } from "../../../test-support/reference-fixtures";
import { checkOutputs, expectCarryMatches, expectCountsMatch, fixtureBatch, gradientPairs, PUZZLE_ROWS_GRAD } from "../../../test-support/supervision-parity";
import { fixtureModel, type TrmSet } from "./fixture-model";

beforeAll(async () => {
  await initEngine("cpu");
});

const report: Record<string, Record<string, number>> = {};
afterAll(() => {
  for (const [label, errors] of Object.entries(report)) printErrorTable(label, errors, 30);
});

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
  checkOutputs(r, p, check);
  expect(Array.from(r.outputs.predictions!), `${p}/preds`).toEqual(Array.from(ref.get(`${p}/preds`)!.data));
  expectCarryMatches(r, ref, p);

  const s = scalars[mode][step - 1];
  const m = r.metrics;
  for (const [ours, theirs] of [[m.loss, s.loss.value], [m.lmLoss, s.metrics.lm_loss.value], [m.qHaltLoss, s.metrics.q_halt_loss.value]]) {
    worst("losses", relError(ours, theirs));
    expect(relError(ours, theirs), `${p} loss`).toBeLessThanOrEqual(1e-5);
  }
  expect(m.accuracy).toBeCloseTo(s.metrics.accuracy.value, 6);
  expectCountsMatch(r, s);
}

describe.each(["trm_attn", "trm_mlp_t"] as TrmSet[])("TRM supervision-step parity (%s)", (set) => {
  it("3 eval steps, free-running: outputs, carries, losses, metrics, halting", () => {
    const before = tf.memory().numTensors;
    const ref = loadFixtureTensors(set, "tensors");
    const scalars = loadFixtureJson(set, "scalars");
    const model = fixtureModel(set);
    const errors: Record<string, number> = {};
    const worst = (g: string, e: number) => (errors[g] = Math.max(errors[g] ?? 0, e));
    const batch = fixtureBatch(ref, "batch");
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
    const batches = ["batch", "train_batch2", "train_batch3"].map((b) => fixtureBatch(ref, b));
    let carry: SupervisionCarry = initialCarry(model, 4, 16);
    for (let step = 1; step <= 3; step++) {
      const worst = (g: string, e: number) => (errors[`step${step} ${g}`] = Math.max(errors[`step${step} ${g}`] ?? 0, e));
      const r = supervisionStep(model, carry, batches[step - 1], { training: true, gradScale: 1, outputs: true });
      checkStep(set, "train", step, ref, scalars, r, worst);
      expect(scalars.train[step - 1].params_without_grad).toEqual([]);
      const gtol = TOL[set].grads[step - 1];
      for (const { name, param, got } of gradientPairs(r, ref, step, [...model.parameters().keys()])) {
        const e = maxRelError(got.dataSync(), ref.get(name)!.data as Float32Array);
        worst(param === PUZZLE_ROWS_GRAD ? "grad puzzle rows" : "grads (worst param)", e);
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
