/**
 * Checks shared by the TRM and HRM supervision-step parity tests (core's supervisionStep against the reference's
 * ACT wrapper + loss head, fixtures/reference). Test support only.
 */
import { expect } from "vitest";
import type { PuzzleBatch, supervisionStep, tf } from "@recurse/core";
import type { FixtureTensor } from "./reference-fixtures";

type StepResult = ReturnType<typeof supervisionStep>;

/** The reference's name for the gradient of the batch's puzzle-embedding rows. */
export const PUZZLE_ROWS_GRAD = "inner.puzzle_emb.local_weights";

/** The batch stored under `prefix` (e.g. `batch`, `train_batch2`). */
export function fixtureBatch(ref: Map<string, FixtureTensor>, prefix: string): PuzzleBatch {
  const inputs = ref.get(`${prefix}/inputs`)!;
  return {
    inputs: Int32Array.from(inputs.data),
    labels: Int32Array.from(ref.get(`${prefix}/labels`)!.data),
    puzzleIds: Int32Array.from(ref.get(`${prefix}/puzzle_identifiers`)!.data),
    batchSize: inputs.shape[0],
    seqLen: inputs.shape[1],
  };
}

/**
 * Hands `check` (the test's tolerance and error bookkeeping) each float output of the step with the reference
 * tensor at `p`: logits, q_halt, q_continue and the carried z_H (y) and z_L (z).
 */
export function checkOutputs(r: StepResult, p: string, check: (group: string, got: ArrayLike<number>, name: string) => void): void {
  check("logits", r.outputs.logits!.dataSync(), `${p}/logits`);
  check("q_halt", r.outputs.qHalt, `${p}/q_halt_logits`);
  check("q_continue", r.outputs.qContinue!, `${p}/q_continue_logits`);
  check("z_H", r.carry.state.y.dataSync(), `${p}/z_H`);
  check("z_L", r.carry.state.z.dataSync(), `${p}/z_L`);
}

/** The carry's halting state and current data (slots restarted with new examples) equal the reference's at `p`. */
export function expectCarryMatches(r: StepResult, ref: Map<string, FixtureTensor>, p: string): void {
  expect(Array.from(r.carry.halted), `${p}/halted`).toEqual(Array.from(ref.get(`${p}/halted`)!.data));
  expect(Array.from(r.carry.steps), `${p}/steps`).toEqual(Array.from(ref.get(`${p}/steps`)!.data));
  expect(Array.from(r.carry.data.inputs)).toEqual(Array.from(ref.get(`${p}/current_data/inputs`)!.data));
  expect(Array.from(r.carry.data.labels)).toEqual(Array.from(ref.get(`${p}/current_data/labels`)!.data));
  expect(Array.from(r.carry.data.puzzleIds)).toEqual(Array.from(ref.get(`${p}/current_data/puzzle_identifiers`)!.data));
}

/** The counting metrics equal the reference's step scalars `s` exactly, and so does all_finish. */
export function expectCountsMatch(r: StepResult, s: any): void {
  const m = r.metrics;
  expect(m.count).toBe(s.metrics.count.value);
  expect(m.exactAccuracy).toBe(s.metrics.exact_accuracy.value);
  expect(m.qHaltAccuracy).toBe(s.metrics.q_halt_accuracy.value);
  expect(m.steps).toBe(s.metrics.steps.value);
  expect(r.carry.halted.every((h) => h === 1)).toBe(s.all_finish);
}

/**
 * Every gradient the reference recorded at training step `step`, paired with ours (the puzzle rows' with
 * `r.puzzleGrad`), after checking that ours cover exactly `parameterNames` and the reference's those plus the rows.
 */
export function gradientPairs(
  r: StepResult,
  ref: Map<string, FixtureTensor>,
  step: number,
  parameterNames: string[],
): { name: string; param: string; got: tf.Tensor }[] {
  const prefix = `train/step${step}/grad/`;
  const gradNames = [...ref.keys()].filter((k) => k.startsWith(prefix));
  expect(gradNames.length).toBe(parameterNames.length + 1);
  expect([...r.grads!.keys()].sort()).toEqual([...parameterNames].sort());
  return gradNames.map((name) => {
    const param = name.slice(prefix.length);
    return { name, param, got: param === PUZZLE_ROWS_GRAD ? r.puzzleGrad! : r.grads!.get(param)! };
  });
}
