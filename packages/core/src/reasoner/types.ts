import type { tf } from "../tf";

/** Label value that carries no loss (the reference's IGNORE_LABEL_ID). */
export const IGNORE_LABEL = -100;

/**
 * One batch of examples as token ids, row-major. Built by datasets, consumed by the recursion engine.
 */
export interface PuzzleBatch {
  /** Token ids, [B, L]. */
  inputs: Int32Array;
  /** Target token ids, [B, L]; {@link IGNORE_LABEL} where no loss is taken. */
  labels: Int32Array;
  /** Puzzle identifier per example, [B] (0 = blank). */
  puzzleIds: Int32Array;
  batchSize: number;
  seqLen: number;
}

/** The carried state of a reasoner: answer y and latent z, both [B, P+L, D]. HRM: y = zH, z = zL. */
export interface ReasonerState {
  y: tf.Tensor3D;
  z: tf.Tensor3D;
}

/** What one supervision step reads out of the state. */
export interface Readout {
  /** Token logits, puzzle prefix stripped, [B, L, V]. */
  logits: tf.Tensor3D;
  /** Halting logit (q_halt), [B]. */
  halt: tf.Tensor1D;
  /** Continue logit (q_continue), [B]; present where the architecture has one. */
  continue?: tf.Tensor1D;
}

/**
 * Which updates of a supervision step carry gradient. `last-cycle` (TRM): the whole final cycle (n latent updates
 * and the answer update). `last-step` (HRM): only the final latent update and the final answer update.
 */
export type GradientWindow = "last-cycle" | "last-step";

/** The recursion of one supervision step: `cycles` × (`latentSteps` latent updates, then one answer update). */
export interface RecursionSchedule {
  cycles: number;
  latentSteps: number;
  gradient: GradientWindow;
}

/** How a reasoner decides to stop refining (see the halting policies in core). */
export interface HaltingConfig {
  /** `q-learning` (HRM), `halt-logit` (TRM), `fixed` (always `maxSteps`). */
  policy: "q-learning" | "halt-logit" | "fixed";
  /** Maximum supervision steps (the reference's halt_max_steps). */
  maxSteps: number;
  /** Probability that a training sample gets a minimum step count uniform in [2, maxSteps]. */
  explorationProb: number;
}

/** Token loss used by the loss head. */
export type LossType = "stablemax" | "softmax";

/** The puzzle-identifier embedding table: trained sparsely (SignSGD), excluded from EMA and parameter counts. */
export interface PuzzleEmbedding {
  /** Reference state_dict name of the table, e.g. `inner.puzzle_emb.weights`. */
  name: string;
  /** [numIds, width], non-trainable variable updated by the sparse optimizer. */
  table: tf.Variable;
  width: number;
}

/**
 * The contract every architecture implements. The recursion engine in core owns everything else: the cycle
 * schedule, gradient truncation, deep supervision, halting, losses, optimizers, EMA, checkpoints.
 *
 * Tensors returned by these methods are owned by the caller (the engine disposes them).
 */
export interface RecursiveReasoner {
  /** Registry id, e.g. `trm`. */
  readonly architecture: string;
  /** The full validated config it was created from (saved into checkpoints). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly schedule: RecursionSchedule;
  readonly halting: HaltingConfig;
  readonly loss: LossType;
  /** Positions in front of the tokens (puzzle-embedding prefix): TRM 16, HRM 1. */
  readonly prefixLength: number;
  /** The puzzle-id embedding, or null when the architecture has none. */
  readonly puzzleEmbedding: PuzzleEmbedding | null;

  /**
   * Input embedding x, [B, P+L, D]. `inputs` are int32 token ids [B, L]; `puzzleRows` are this batch's rows of the
   * puzzle-embedding table, [B, width] (the engine gathers them, as a trainable variable in training so their
   * gradient reaches the sparse optimizer), or null when the architecture has no puzzle embedding.
   */
  embed(inputs: tf.Tensor2D, puzzleRows: tf.Tensor2D | null): tf.Tensor3D;
  /** The initial (reset) state for `batchSize` examples. */
  initialState(batchSize: number): ReasonerState;
  /** New latent z (TRM: net(z + y + x); HRM: L(zL, zH + x)). */
  latentUpdate(x: tf.Tensor3D, state: ReasonerState): tf.Tensor3D;
  /** New answer y (TRM: net(y + z); HRM: H(zH, zL)). */
  answerUpdate(x: tf.Tensor3D, state: ReasonerState): tf.Tensor3D;
  /** Logits and halting logits from the state. */
  readout(state: ReasonerState): Readout;

  /** Trainable parameters by reference state_dict name (optimizer, EMA, checkpoint). */
  parameters(): Map<string, tf.Variable>;
  /** Persistent non-trainable tensors by reference name (H_init, L_init, the puzzle-embedding table). */
  buffers(): Map<string, tf.Variable>;
  /** Release every variable. */
  dispose(): void;
}

/** One supervision step's outputs for every evaluated example, recorded when tracing is on. */
export interface SupervisionStepRecord {
  /** 1-based supervision step. */
  step: number;
  /** Argmax tokens, [N, L]. */
  predictions: Int32Array;
  /** Halting logits, [N]. */
  qHalt: Float32Array;
  /** Continue logits, [N] (architectures with a continue head). */
  qContinue?: Float32Array;
  /** 1 where the answer is exactly right over the non-ignored labels, [N]. */
  correct: Uint8Array;
}

/**
 * What evaluating a reasoner on a dataset split produces: the examples, the final answers, and (when tracing)
 * every supervision step. Evaluators and the viewer read this.
 */
export interface EvaluationOutput {
  numExamples: number;
  seqLen: number;
  /** [N, L] */
  inputs: Int32Array;
  /** [N, L], {@link IGNORE_LABEL} where no loss. */
  labels: Int32Array;
  /** [N] */
  puzzleIds: Int32Array;
  /** Final answers, [N, L]. */
  predictions: Int32Array;
  /** Final halting logits, [N]. */
  qHalt: Float32Array;
  qContinue?: Float32Array;
  /** Supervision steps each example ran, [N]. */
  stepsTaken: Int32Array;
  /** Per-step records, present when tracing was requested. */
  trace?: SupervisionStepRecord[];
}
