import {
  ReasonerBase,
  ReasonerIO,
  ReasoningModule,
  Rng,
  blockFactory,
  ioPosEncodings,
  tf,
  type ReasonerState,
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
export class HrmReasoner extends ReasonerBase<HrmConfig> {
  readonly architecture: string = "hrm";
  /** The high-level module (reference `H_level`): updates zH from zL. */
  readonly hLevel: ReasoningModule;
  /** The low-level module (reference `L_level`): updates zL from zH + x. */
  readonly lLevel: ReasoningModule;
  /** [D] initial zH (reference `H_init`, truncated normal std 1, never trained). */
  readonly hInit: tf.Variable;
  /** [D] initial zL (reference `L_init`). */
  readonly lInit: tf.Variable;

  constructor(config: HrmConfig) {
    const rng = new Rng(config.seed);
    const d = config.hiddenSize;
    super("inner", {
      config,
      schedule: { cycles: config.cycles, latentSteps: config.latentSteps, gradient: "last-step" },
      halting: { policy: "q-learning", maxSteps: config.haltMaxSteps, explorationProb: config.haltExplorationProb },
      loss: config.loss,
      io: new ReasonerIO("inner", {
        hiddenSize: d,
        vocabSize: config.vocabSize,
        seqLen: config.seqLen,
        prefixLength: hrmPrefixLength(config),
        puzzleEmbNdim: config.puzzleEmbNdim,
        numPuzzleIdentifiers: config.numPuzzleIdentifiers,
        posEncodings: ioPosEncodings(config),
        headDim: Math.floor(d / config.numHeads),
        ropeTheta: config.ropeTheta,
        rng,
      }),
    });
    const block = blockFactory(config, config.seqLen + hrmPrefixLength(config), rng);
    this.hLevel = this.addModule(new ReasoningModule("inner.H_level", config.hLayers, block));
    this.lLevel = this.addModule(new ReasoningModule("inner.L_level", config.lLayers, block));
    this.hInit = this.addInitBuffer("H_init", rng);
    this.lInit = this.addInitBuffer("L_init", rng);
  }

  /** zL ← L(zL, zH + x) */
  latentUpdate(x: tf.Tensor3D, state: ReasonerState): tf.Tensor3D {
    return tf.tidy(() => this.lLevel.apply(state.z, state.y.add(x) as tf.Tensor3D, this.context()));
  }

  /** zH ← H(zH, zL) (no x: the high level only reads the low level) */
  answerUpdate(_x: tf.Tensor3D, state: ReasonerState): tf.Tensor3D {
    return this.hLevel.apply(state.y, state.z, this.context());
  }
}
