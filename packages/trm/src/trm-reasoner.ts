import { ReasonerBase, Rng, tf, type ReasonerState, type ReasoningModule } from "@recurse/core";
import type { TrmConfig } from "./config";
import { buildReasonerIO } from "./io";
import { buildNetwork } from "./network";

/**
 * The Tiny Recursive Model (reference `TinyRecursiveReasoningModel_ACTV1`): ONE network `inner.L_level` serves
 * both updates. Per supervision step the engine runs `cycles` × (`latentSteps` × z ← net(z + (y + x)), then
 * y ← net(y + z)), gradient through the last cycle only; y is the answer (z_H), z the latent (z_L).
 *
 * Build it from a validated config (see {@link trmConfigSchema}); variables carry the reference state_dict names.
 * Embedding, initial state, readout and the forward `hook` (which also sees the `mlp_t` value in the transposed
 * layout) come from core's {@link ReasonerBase}.
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
export class TrmReasoner extends ReasonerBase<TrmConfig> {
  readonly architecture: string = "trm";
  /** The single 2-block network (reference `L_level`). */
  readonly net: ReasoningModule;
  /** [D] initial y (reference `H_init`, std 1, never trained). */
  readonly hInit: tf.Variable;
  /** [D] initial z (reference `L_init`). */
  readonly lInit: tf.Variable;

  constructor(config: TrmConfig) {
    const rng = new Rng(config.seed);
    super("inner", {
      config,
      schedule: { cycles: config.cycles, latentSteps: config.latentSteps, gradient: "last-cycle" },
      halting: { policy: "halt-logit", maxSteps: config.haltMaxSteps, explorationProb: config.haltExplorationProb },
      loss: config.loss,
      io: buildReasonerIO("inner", config, rng),
    });
    this.net = this.addModule(buildNetwork("inner.L_level", config, this.io.positions, rng));
    this.hInit = this.addInitBuffer("H_init", rng);
    this.lInit = this.addInitBuffer("L_init", rng);
  }

  /** z ← net(z + (y + x)) */
  latentUpdate(x: tf.Tensor3D, state: ReasonerState): tf.Tensor3D {
    return tf.tidy(() => this.net.apply(state.z, state.y.add(x) as tf.Tensor3D, this.context()));
  }

  /** y ← net(y + z) (no x: the answer update only reads the latent) */
  answerUpdate(_x: tf.Tensor3D, state: ReasonerState): tf.Tensor3D {
    return this.net.apply(state.y, state.z, this.context());
  }
}
