import {
  Module,
  ReasonerIO,
  ReasoningModule,
  Rng,
  TransformerBlock,
  tf,
  truncNormal,
  type BlockContext,
  type HaltingConfig,
  type LossType,
  type PuzzleEmbedding,
  type Readout,
  type ReasonerState,
  type RecursionSchedule,
  type RecursiveReasoner,
} from "@recurse/core";
import { hrmPrefixLength, type HrmConfig } from "./config";

/**
 * The Hierarchical Reasoning Model (reference `HierarchicalReasoningModel_ACTV1`): TWO networks, the low-level
 * `inner.L_level` (`lLayers` blocks) and the high-level `inner.H_level` (`hLayers` blocks). Per supervision step
 * the engine runs `cycles` × (`latentSteps` × zL ← L(zL, zH + x), then zH ← H(zH, zL)), with gradient only
 * through the final L and H updates (the reference's 1-step gradient). The answer y is zH, the latent z is zL.
 * Halting is ACT with Q-learning: q_halt vs q_continue from zH's position 0, the continue logit fitted to a
 * bootstrapped target in training.
 *
 * Build it from a validated config (see {@link hrmConfigSchema}); variables carry the reference state_dict names.
 *
 * @example
 * ```ts
 * const model = new HrmReasoner(hrmConfigSchema.parse({ ...hrmPresets.tiny }));
 * const x = model.embed(inputs, puzzleRows);           // [B, 17, 32]
 * const s = model.initialState(4);
 * const zL = model.latentUpdate(x, s);                 // L(zL, zH + x)
 * const zH = model.answerUpdate(x, { y: s.y, z: zL }); // H(zH, zL)
 * const { logits, halt, continue: cont } = model.readout({ y: zH, z: zL });
 * ```
 */
export class HrmReasoner extends Module implements RecursiveReasoner {
  readonly architecture: string = "hrm";
  readonly config: Readonly<HrmConfig>;
  readonly schedule: RecursionSchedule;
  readonly halting: HaltingConfig;
  readonly loss: LossType;
  readonly prefixLength: number;
  readonly puzzleEmbedding: PuzzleEmbedding | null;
  readonly io: ReasonerIO;
  /** The high-level module (reference `H_level`): updates zH from zL. */
  readonly hLevel: ReasoningModule;
  /** The low-level module (reference `L_level`): updates zL from zH + x. */
  readonly lLevel: ReasoningModule;
  /** [D] initial zH (reference `H_init`, truncated normal std 1, never trained). */
  readonly hInit: tf.Variable;
  /** [D] initial zL (reference `L_init`). */
  readonly lInit: tf.Variable;
  /**
   * Optional forward hook: called with every block's intermediate outputs and every level call's result
   * (`inner.L_level` / `inner.H_level`) under their state_dict names. Values live only during the call.
   */
  hook: BlockContext["hook"] = undefined;

  constructor(config: HrmConfig) {
    super("inner");
    this.config = Object.freeze({ ...config });
    this.schedule = { cycles: config.cycles, latentSteps: config.latentSteps, gradient: "last-step" };
    this.halting = { policy: "q-learning", maxSteps: config.haltMaxSteps, explorationProb: config.haltExplorationProb };
    this.loss = config.loss;
    const rng = new Rng(config.seed);
    const d = config.hiddenSize;
    this.io = this.addModule(
      new ReasonerIO("inner", {
        hiddenSize: d,
        vocabSize: config.vocabSize,
        seqLen: config.seqLen,
        prefixLength: hrmPrefixLength(config),
        puzzleEmbNdim: config.puzzleEmbNdim,
        numPuzzleIdentifiers: config.numPuzzleIdentifiers,
        posEncodings: config.posEncodings,
        headDim: Math.floor(d / config.numHeads),
        ropeTheta: config.ropeTheta,
        rng,
      }),
    );
    this.prefixLength = this.io.prefixLength;
    this.puzzleEmbedding = this.io.puzzleEmbedding;
    const block = (name: string) =>
      new TransformerBlock(name, { hiddenSize: d, numHeads: config.numHeads, expansion: config.expansion, rmsNormEps: config.rmsNormEps, rng });
    this.hLevel = this.addModule(new ReasoningModule("inner.H_level", config.hLayers, block));
    this.lLevel = this.addModule(new ReasoningModule("inner.L_level", config.lLayers, block));
    this.hInit = this.addBuffer("H_init", truncNormal([d], 1, rng));
    this.lInit = this.addBuffer("L_init", truncNormal([d], 1, rng));
  }

  /** x = √D · [puzzle row ; token embeddings], [B, P+L, D]. */
  embed(inputs: tf.Tensor2D, puzzleRows: tf.Tensor2D | null): tf.Tensor3D {
    return this.io.embed(inputs, puzzleRows);
  }

  /** zH = H_init and zL = L_init, broadcast over batch and positions. */
  initialState(batchSize: number): ReasonerState {
    const shape: [number, number, number] = [batchSize, this.io.positions, this.config.hiddenSize];
    return {
      y: tf.tidy(() => tf.broadcastTo(this.hInit, shape) as tf.Tensor3D),
      z: tf.tidy(() => tf.broadcastTo(this.lInit, shape) as tf.Tensor3D),
    };
  }

  /** zL ← L(zL, zH + x) */
  latentUpdate(x: tf.Tensor3D, state: ReasonerState): tf.Tensor3D {
    return tf.tidy(() => this.lLevel.apply(state.z, state.y.add(x) as tf.Tensor3D, this.context()));
  }

  /** zH ← H(zH, zL) (no x: the high level only reads the low level) */
  answerUpdate(_x: tf.Tensor3D, state: ReasonerState): tf.Tensor3D {
    return this.hLevel.apply(state.y, state.z, this.context());
  }

  /** Logits from zH's token positions; q_halt and q_continue from zH's position 0 (the puzzle slot). */
  readout(state: ReasonerState): Readout {
    return this.io.readout(state.y);
  }

  private context(): BlockContext {
    return { rope: this.io.rope, hook: this.hook };
  }
}
