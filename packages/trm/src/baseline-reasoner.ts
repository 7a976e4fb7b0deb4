import { ReasonerBase, Rng, tf, type ReasonerState, type ReasoningModule } from "@recurse/core";
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
export class TransformerBaselineReasoner extends ReasonerBase<TransformerBaselineConfig> {
  readonly architecture: string = "transformer-baseline";
  /** The network (reference `H_level`). */
  readonly net: ReasoningModule;
  /** [D] initial y (reference `H_init`). */
  readonly hInit: tf.Variable;
  /** No `L_init`: z is an unused zero latent (kept so the engine's carry is uniform). */
  readonly lInit = null;

  constructor(config: TransformerBaselineConfig) {
    const rng = new Rng(config.seed);
    super("inner", {
      config,
      schedule: { cycles: 1, latentSteps: 0, gradient: "last-cycle" },
      halting: { policy: "halt-logit", maxSteps: config.haltMaxSteps, explorationProb: config.haltExplorationProb },
      loss: config.loss,
      io: buildReasonerIO("inner", config, rng),
    });
    this.net = this.addModule(buildNetwork("inner.H_level", config, this.io.positions, rng));
    this.hInit = this.addInitBuffer("H_init", rng);
  }

  /** The baseline has no latent recursion: z is returned unchanged (a copy the caller owns). */
  latentUpdate(_x: tf.Tensor3D, state: ReasonerState): tf.Tensor3D {
    return state.z.clone();
  }

  /** y ← net(y + x) */
  answerUpdate(x: tf.Tensor3D, state: ReasonerState): tf.Tensor3D {
    return this.net.apply(state.y, x, this.context());
  }
}
