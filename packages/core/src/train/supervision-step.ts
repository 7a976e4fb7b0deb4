import { tf } from "../tf";
import { ConfigError } from "../errors";
import type { Rng } from "../rng";
import { bceWithLogits } from "../losses/bce-with-logits";
import { sequenceMeanLoss, tokenCrossEntropy } from "../losses/token-loss";
import { disposeCarry, startStep, type SupervisionCarry } from "../reasoner/carry";
import { decideHalting, haltingPolicy, type HaltingPolicy } from "../reasoner/halting";
import { noGrad } from "../reasoner/no-grad";
import { segment } from "../reasoner/segment";
import { IGNORE_LABEL, type PuzzleBatch, type RecursiveReasoner } from "../reasoner/types";
import { supervisionMetrics, type SupervisionMetrics } from "./metrics";

/** Options of {@link supervisionStep}. */
export interface SupervisionStepOptions {
  /** Training: gradients, the halting policy with exploration, the continue target. Evaluation: none of these. */
  training: boolean;
  /** Draws for exploration (training). Required when the exploration probability is above 0. */
  rng?: Rng;
  /** Probability of a random minimum step count; default `reasoner.halting.explorationProb`. */
  explorationProb?: number;
  /**
   * Gradients are of `loss × gradScale`; default 1 / batch size (what the reference's optimizer sees). Use 1 for
   * the gradient of the loss as the reference loss head returns it.
   */
  gradScale?: number;
  /** Halting policy; default from `reasoner.halting`. */
  halting?: HaltingPolicy;
  /** Evaluation only: halt by the policy (no exploration) instead of running every slot to the step limit. */
  adaptive?: boolean;
  /** Also return the logits tensor and the argmax predictions. */
  outputs?: boolean;
}

/** Per-slot outputs of a supervision step. */
export interface SupervisionOutputs {
  /** [B, L, V], owned by the caller (present when `outputs` was asked). */
  logits?: tf.Tensor3D;
  /** Argmax tokens [B, L] (present when `outputs` was asked). */
  predictions?: Int32Array;
  qHalt: Float32Array;
  qContinue?: Float32Array;
  /** HRM training: sigmoid of the bootstrapped next-step q value. */
  targetQContinue?: Float32Array;
  /** 1 where the answer is right on every supervised token (also for slots with none, as the reference). */
  correct: Uint8Array;
}

/** What {@link supervisionStep} returns; tensors are owned by the caller. */
export interface SupervisionStepResult {
  /** The carry after the step (the input carry was consumed). */
  carry: SupervisionCarry;
  metrics: SupervisionMetrics;
  outputs: SupervisionOutputs;
  /** Training: gradients of `loss × gradScale` by reference parameter name. */
  grads?: Map<string, tf.Tensor>;
  /**
   * Training with a puzzle embedding: the gradient w.r.t. the gathered rows, [B, width] (row i belongs to
   * `carry.data.puzzleIds[i]`); feed it to {@link SparseSignSGD}.
   */
  puzzleGrad?: tf.Tensor2D;
}

interface Kept {
  y: tf.Tensor3D;
  z: tf.Tensor3D;
  logits?: tf.Tensor3D;
  /** [k·B + 4]: qHalt, qContinue?, target?, correct tokens, supervised tokens, then lm, qHalt, qContinue, loss. */
  summary: tf.Tensor1D;
  predictions?: tf.Tensor2D;
}

/**
 * One deep-supervision step for every slot of the batch, exactly as the reference's ACT wrapper plus loss head:
 * halted slots restart on this batch's rows, one {@link segment} runs, the loss
 * `Σ_i mean_t CE + 0.5·(BCE(q_halt, exact) + BCE(q_continue, target))` is formed (every slot), halting is
 * decided, and metrics are counted over halted slots. In training the gradients are returned, not applied.
 *
 * The input carry is consumed (its tensors are disposed); use the returned one for the next step.
 *
 * @example
 * ```ts
 * let carry = initialCarry(reasoner, B, L);
 * const r = supervisionStep(reasoner, carry, batch, { training: true, rng });
 * carry = r.carry;
 * optimizer.step(r.grads!, lr);
 * tf.dispose([...r.grads!.values(), r.puzzleGrad]);
 * ```
 */
export function supervisionStep(
  reasoner: RecursiveReasoner,
  carry: SupervisionCarry,
  batch: PuzzleBatch,
  options: SupervisionStepOptions,
): SupervisionStepResult {
  const policy = options.halting ?? haltingPolicy(reasoner.halting);
  const training = options.training;
  const explorationProb = options.explorationProb ?? reasoner.halting.explorationProb;
  if (training && explorationProb > 0 && !options.rng && policy.maxSteps > 1) {
    throw new ConfigError("training with exploration needs an Rng", { field: "rng", expected: "an Rng instance" });
  }
  const start = startStep(reasoner, carry, batch);
  disposeCarry(carry);
  const { batchSize: B, seqLen: L } = start.data;
  const steps = Int32Array.from(start.steps, (s) => s + 1);
  const isLast = Uint8Array.from(steps, (s) => (s >= policy.maxSteps ? 1 : 0));
  const bootstrap = training && policy.bootstrapsContinue && policy.maxSteps > 1;
  const gradScale = options.gradScale ?? 1 / B;

  const inputs = tf.tensor2d(start.data.inputs, [B, L], "int32");
  const labels = tf.tensor2d(start.data.labels, [B, L], "int32");
  const pe = reasoner.puzzleEmbedding;
  const rows = pe ? tf.gather(pe.table, start.data.puzzleIds) : null; // [B, width]
  const localWeights = rows && training ? tf.variable(rows, true) : null;

  let kept: Kept | undefined;
  let hasContinue = false;
  const forward = (): tf.Scalar => {
    const x = reasoner.embed(inputs, (localWeights ?? rows) as tf.Tensor2D | null); // [B, P+L, D]
    const { state, readout } = segment(reasoner, x, start.state, { training });
    const perToken = tokenCrossEntropy(reasoner.loss, readout.logits, labels); // [B, L]
    const lmLoss = sequenceMeanLoss(perToken, labels);
    const facts = noGrad(() => {
      const predictions = tf.argMax(readout.logits, -1) as tf.Tensor2D; // [B, L]
      const supervised = tf.notEqual(labels, IGNORE_LABEL);
      const correct = tf.sum(tf.cast(tf.logicalAnd(supervised, tf.equal(predictions, labels)), "float32"), -1);
      const count = tf.sum(tf.cast(supervised, "float32"), -1);
      return { predictions, correct, count, exact: tf.cast(tf.equal(correct, count), "float32") };
    });
    const qHaltLoss = bceWithLogits(readout.halt, facts.exact);
    const parts: tf.Tensor[] = [readout.halt];
    let qContinueLoss: tf.Tensor = tf.scalar(0);
    hasContinue = readout.continue !== undefined;
    if (readout.continue) parts.push(readout.continue);
    if (bootstrap) {
      const cont = readout.continue;
      if (!cont) {
        throw new ConfigError("the q-learning policy needs a continue logit but the readout has none", {
          field: "halting.policy",
          expected: "'halt-logit' or 'fixed' for a reasoner without a continue head",
        });
      }
      const target = noGrad(() => {
        const next = segment(reasoner, x, state, { training: false });
        const nextHalt = next.readout.halt;
        const nextCont = next.readout.continue ?? nextHalt;
        const value = tf.sigmoid(tf.where(tf.tensor1d(isLast, "bool"), nextHalt, tf.maximum(nextHalt, nextCont)));
        tf.dispose([next.state.y, next.state.z, next.readout.logits, nextHalt, next.readout.continue]);
        return value;
      });
      qContinueLoss = bceWithLogits(cont, target);
      parts.push(target);
    }
    const loss = tf.add(lmLoss, tf.mul(0.5, tf.add(qHaltLoss, qContinueLoss))) as tf.Scalar;
    const summary = noGrad(() =>
      tf.concat([...parts, facts.correct, facts.count, tf.stack([lmLoss, qHaltLoss, qContinueLoss, loss])]),
    ) as tf.Tensor1D;
    kept = {
      y: tf.keep(state.y),
      z: tf.keep(state.z),
      summary: tf.keep(summary),
      logits: options.outputs ? tf.keep(readout.logits) : undefined,
      predictions: options.outputs ? tf.keep(facts.predictions) : undefined,
    };
    return tf.mul(loss, gradScale) as tf.Scalar;
  };

  let grads: Map<string, tf.Tensor> | undefined;
  let puzzleGrad: tf.Tensor2D | undefined;
  try {
    if (training) {
      const params = reasoner.parameters();
      const nameOf = new Map<string, string>();
      for (const [ref, v] of params) nameOf.set(v.name, ref);
      const varList = [...params.values()];
      if (localWeights) varList.push(localWeights);
      const result = tf.variableGrads(forward, varList);
      result.value.dispose();
      grads = new Map();
      for (const [name, g] of Object.entries(result.grads)) {
        if (!g) continue;
        if (localWeights && name === localWeights.name) puzzleGrad = g as tf.Tensor2D;
        else grads.set(nameOf.get(name) ?? name, g);
      }
    } else {
      noGrad(() => tf.tidy(forward)).dispose();
    }
  } finally {
    tf.dispose([inputs, labels, start.state.y, start.state.z]);
    if (rows) rows.dispose();
    if (localWeights) localWeights.dispose();
  }
  const k = kept!;

  const values = k.summary.dataSync();
  k.summary.dispose();
  let offset = 0;
  const take = (n: number) => values.slice(offset, (offset += n));
  const qHalt = take(B) as Float32Array;
  const qContinue = hasContinue ? (take(B) as Float32Array) : undefined;
  const targetQContinue = bootstrap ? (take(B) as Float32Array) : undefined;
  const correct = take(B);
  const supervised = Int32Array.from(take(B));
  const [lmLoss, qHaltLoss, qContinueLoss] = take(4);

  const halted = decideHalting(policy, {
    steps,
    qHalt,
    qContinue,
    mode: training ? "train" : options.adaptive ? "adaptive" : "eval",
    rng: training ? options.rng : undefined,
    explorationProb,
  });
  const metrics = supervisionMetrics({ halted, steps, supervised, correct, qHalt }, { lmLoss, qHaltLoss, qContinueLoss });
  const exact = Uint8Array.from(correct, (c, i) => (c === supervised[i] ? 1 : 0));

  let predictions: Int32Array | undefined;
  if (k.predictions) {
    predictions = k.predictions.dataSync() as Int32Array;
    k.predictions.dispose();
  }
  return {
    carry: { state: { y: k.y, z: k.z }, steps, halted, data: start.data },
    metrics,
    outputs: { logits: k.logits, predictions, qHalt, qContinue, targetQContinue, correct: exact },
    grads,
    puzzleGrad,
  };
}
