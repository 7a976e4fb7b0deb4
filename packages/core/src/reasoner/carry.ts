import { tf } from "../tf";
import { ShapeError } from "../errors";
import type { PuzzleBatch, ReasonerState, RecursiveReasoner } from "./types";

/**
 * What deep supervision carries from one supervision step to the next, per batch slot (the reference's
 * `ACTCarry`): the reasoner state, the steps taken by the slot's current example, whether it halted, and the
 * example itself. A halted slot is reset and takes the next batch's row at the following step.
 */
export interface SupervisionCarry {
  /** [B, P+L, D] each; owned by the carry (see {@link disposeCarry}). */
  state: ReasonerState;
  /** [B] */
  steps: Int32Array;
  /** [B], 1 = halted. */
  halted: Uint8Array;
  /** Each slot's current example. */
  data: PuzzleBatch;
}

/**
 * The carry before the first step: every slot halted (so the first step takes the whole batch), zero steps.
 *
 * @example
 * ```ts
 * let carry = initialCarry(reasoner, 768, 81);
 * ```
 */
export function initialCarry(reasoner: RecursiveReasoner, batchSize: number, seqLen: number): SupervisionCarry {
  return {
    state: reasoner.initialState(batchSize),
    steps: new Int32Array(batchSize),
    halted: new Uint8Array(batchSize).fill(1),
    data: {
      inputs: new Int32Array(batchSize * seqLen),
      labels: new Int32Array(batchSize * seqLen),
      puzzleIds: new Int32Array(batchSize),
      batchSize,
      seqLen,
    },
  };
}

/** Release the carry's tensors. */
export function disposeCarry(carry: SupervisionCarry): void {
  tf.dispose([carry.state.y, carry.state.z]);
}

/**
 * The start of a supervision step (the reference ACT wrapper's first lines): halted slots get the initial state,
 * zero steps and this batch's row; the others keep theirs and ignore the batch row. Returns new state tensors;
 * the carry is not modified.
 */
export function startStep(
  reasoner: RecursiveReasoner,
  carry: SupervisionCarry,
  batch: PuzzleBatch,
): { state: ReasonerState; steps: Int32Array; data: PuzzleBatch } {
  const { batchSize, seqLen } = carry.data;
  if (batch.batchSize !== batchSize || batch.seqLen !== seqLen) {
    throw new ShapeError(
      `batch is [${batch.batchSize}, ${batch.seqLen}] but the carry holds [${batchSize}, ${seqLen}]; ` +
        "deep supervision needs a fixed batch size",
    );
  }
  const halted = carry.halted;
  const steps = Int32Array.from(carry.steps, (s, i) => (halted[i] ? 0 : s));
  const data: PuzzleBatch = {
    inputs: carry.data.inputs.slice(),
    labels: carry.data.labels.slice(),
    puzzleIds: carry.data.puzzleIds.slice(),
    batchSize,
    seqLen,
  };
  let numHalted = 0;
  for (let i = 0; i < batchSize; i++) {
    if (!halted[i]) continue;
    numHalted++;
    data.inputs.set(batch.inputs.subarray(i * seqLen, (i + 1) * seqLen), i * seqLen);
    data.labels.set(batch.labels.subarray(i * seqLen, (i + 1) * seqLen), i * seqLen);
    data.puzzleIds[i] = batch.puzzleIds[i];
  }
  let state: ReasonerState;
  if (numHalted === batchSize) {
    state = reasoner.initialState(batchSize);
  } else if (numHalted === 0) {
    state = { y: carry.state.y.clone(), z: carry.state.z.clone() };
  } else {
    state = tf.tidy(() => {
      const init = reasoner.initialState(batchSize);
      const mask = tf.tensor3d(halted, [batchSize, 1, 1], "bool"); // [B, 1, 1]
      return {
        y: tf.where(mask, init.y, carry.state.y) as tf.Tensor3D,
        z: tf.where(mask, init.z, carry.state.z) as tf.Tensor3D,
      };
    });
  }
  return { state, steps, data };
}
