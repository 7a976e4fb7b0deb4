import {
  Module,
  tf,
  truncNormal,
  Rng,
  type BlockContext,
  type HaltingConfig,
  type LossType,
  type PuzzleEmbedding,
  type ReasonerIO,
  type Readout,
  type ReasonerState,
  type ReasoningModule,
  type RecursionSchedule,
  type RecursiveReasoner,
} from "@recurse/core";
import type { TransformerBaselineConfig } from "./config";
import { buildReasonerIO } from "./io";
import { buildNetwork } from "./network";

/**
 * The papers' single-pass "direct prediction" baseline (the TRM repository's transformer baseline): the same
 * blocks, no recursion. Each supervision step is one pass y ← net(y + x) through `config.layers` blocks
 * (`inner.H_level`), with the same ACT halting loop, carry and heads as TRM. Its schedule is
 * `{ cycles: 1, latentSteps: 0 }`, so the latent z is carried but never updated.
 *
 * @example
 * ```ts
 * const model = new TransformerBaselineReasoner(transformerBaselineConfigSchema.parse({ ...transformerBaselinePresets.tiny }));
 * const y = model.answerUpdate(x, model.initialState(4));
 * ```
 */
export class TransformerBaselineReasoner extends Module implements RecursiveReasoner {
  readonly architecture: string = "transformer-baseline";
  readonly config: Readonly<TransformerBaselineConfig>;
  readonly schedule: RecursionSchedule = { cycles: 1, latentSteps: 0, gradient: "last-cycle" };
  readonly halting: HaltingConfig;
  readonly loss: LossType;
  readonly prefixLength: number;
  readonly puzzleEmbedding: PuzzleEmbedding | null;
  readonly io: ReasonerIO;
  /** The network (reference `H_level`). */
  readonly net: ReasoningModule;
  /** [D] initial y (reference `H_init`). */
  readonly hInit: tf.Variable;
  /** Optional forward hook, as {@link TrmReasoner.hook}. */
  hook: BlockContext["hook"] = undefined;

  constructor(config: TransformerBaselineConfig) {
    super("inner");
    this.config = Object.freeze({ ...config });
    this.halting = { policy: "halt-logit", maxSteps: config.haltMaxSteps, explorationProb: config.haltExplorationProb };
    this.loss = config.loss;
    const rng = new Rng(config.seed);
    this.io = this.addModule(buildReasonerIO("inner", config, rng));
    this.prefixLength = this.io.prefixLength;
    this.puzzleEmbedding = this.io.puzzleEmbedding;
    this.net = this.addModule(buildNetwork("inner.H_level", config, this.io.positions, rng));
    this.hInit = this.addBuffer("H_init", truncNormal([config.hiddenSize], 1, rng));
  }

  embed(inputs: tf.Tensor2D, puzzleRows: tf.Tensor2D | null): tf.Tensor3D {
    return this.io.embed(inputs, puzzleRows);
  }

  /** y = H_init broadcast; z is an unused zero latent (kept so the engine's carry is uniform). */
  initialState(batchSize: number): ReasonerState {
    const shape: [number, number, number] = [batchSize, this.io.positions, this.config.hiddenSize];
    return {
      y: tf.tidy(() => tf.broadcastTo(this.hInit, shape) as tf.Tensor3D),
      z: tf.zeros(shape) as tf.Tensor3D,
    };
  }

  /** The baseline has no latent recursion: z is returned unchanged (a copy the caller owns). */
  latentUpdate(_x: tf.Tensor3D, state: ReasonerState): tf.Tensor3D {
    return state.z.clone();
  }

  /** y ← net(y + x) */
  answerUpdate(x: tf.Tensor3D, state: ReasonerState): tf.Tensor3D {
    return this.net.apply(state.y, x, { rope: this.io.rope, hook: this.hook });
  }

  readout(state: ReasonerState): Readout {
    return this.io.readout(state.y);
  }
}
