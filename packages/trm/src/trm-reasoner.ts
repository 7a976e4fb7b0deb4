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
import type { TrmConfig } from "./config";
import { buildReasonerIO } from "./io";
import { buildNetwork } from "./network";

/**
 * The Tiny Recursive Model (reference `TinyRecursiveReasoningModel_ACTV1`): ONE network `inner.L_level` serves
 * both updates. Per supervision step the engine runs `cycles` × (`latentSteps` × z ← net(z + (y + x)), then
 * y ← net(y + z)), gradient through the last cycle only; y is the answer (z_H), z the latent (z_L).
 *
 * Build it from a validated config (see {@link trmConfigSchema}); variables carry the reference state_dict names.
 *
 * @example
 * ```ts
 * const model = new TrmReasoner(trmConfigSchema.parse({ ...trmPresets.tiny }));
 * const x = model.embed(inputs, puzzleRows);
 * let state = model.initialState(4);
 * const z = model.latentUpdate(x, state);             // new z, [B, P+L, D]
 * const { logits, halt } = model.readout({ y: state.y, z });
 * ```
 */
export class TrmReasoner extends Module implements RecursiveReasoner {
  readonly architecture: string = "trm";
  readonly config: Readonly<TrmConfig>;
  readonly schedule: RecursionSchedule;
  readonly halting: HaltingConfig;
  readonly loss: LossType;
  readonly prefixLength: number;
  readonly puzzleEmbedding: PuzzleEmbedding | null;
  readonly io: ReasonerIO;
  /** The single 2-block network (reference `L_level`). */
  readonly net: ReasoningModule;
  /** [D] initial y (reference `H_init`, std 1, never trained). */
  readonly hInit: tf.Variable;
  /** [D] initial z (reference `L_init`). */
  readonly lInit: tf.Variable;
  /**
   * Optional forward hook: called with every block's intermediate outputs under their state_dict names (the
   * `mlp_t` value in the transposed layout). Values live only during the call; copy them out.
   */
  hook: BlockContext["hook"] = undefined;

  constructor(config: TrmConfig) {
    super("inner");
    this.config = Object.freeze({ ...config });
    this.schedule = { cycles: config.cycles, latentSteps: config.latentSteps, gradient: "last-cycle" };
    this.halting = { policy: "halt-logit", maxSteps: config.haltMaxSteps, explorationProb: config.haltExplorationProb };
    this.loss = config.loss;
    const rng = new Rng(config.seed);
    this.io = this.addModule(buildReasonerIO("inner", config, rng));
    this.prefixLength = this.io.prefixLength;
    this.puzzleEmbedding = this.io.puzzleEmbedding;
    this.net = this.addModule(buildNetwork("inner.L_level", config, this.io.positions, rng));
    this.hInit = this.addBuffer("H_init", truncNormal([config.hiddenSize], 1, rng));
    this.lInit = this.addBuffer("L_init", truncNormal([config.hiddenSize], 1, rng));
  }

  embed(inputs: tf.Tensor2D, puzzleRows: tf.Tensor2D | null): tf.Tensor3D {
    return this.io.embed(inputs, puzzleRows);
  }

  initialState(batchSize: number): ReasonerState {
    const shape: [number, number, number] = [batchSize, this.io.positions, this.config.hiddenSize];
    return {
      y: tf.tidy(() => tf.broadcastTo(this.hInit, shape) as tf.Tensor3D),
      z: tf.tidy(() => tf.broadcastTo(this.lInit, shape) as tf.Tensor3D),
    };
  }

  /** z ← net(z + (y + x)) */
  latentUpdate(x: tf.Tensor3D, state: ReasonerState): tf.Tensor3D {
    return tf.tidy(() => this.net.apply(state.z, state.y.add(x) as tf.Tensor3D, this.context()));
  }

  /** y ← net(y + z) (no x: the answer update only reads the latent) */
  answerUpdate(_x: tf.Tensor3D, state: ReasonerState): tf.Tensor3D {
    return this.net.apply(state.y, state.z, this.context());
  }

  readout(state: ReasonerState): Readout {
    return this.io.readout(state.y);
  }

  private context(): BlockContext {
    return { rope: this.io.rope, hook: this.hook };
  }
}
