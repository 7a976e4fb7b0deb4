// @ts-check
/**
 * An example Recurse plugin: the "gated recurrent reasoner" (`grr`), a new architecture written against
 * @recurse/core alone. Load it without touching the repository:
 *
 *   recurse --plugin ./examples/custom-reasoner list
 *   recurse --plugin ./examples/custom-reasoner train grr --data data/sudoku4 --preset tiny --steps 100 --out runs/grr
 *
 * How it differs from TRM: the latent update is a *gated* blend, z ← g·block(x + y + z) + (1 − g)·z with a
 * learned per-position gate g = σ(W_g(x + y + z)), so the latent can keep what it had; the answer update is a
 * residual MLP on y + z; halting reads the mean of y rather than a puzzle-prefix slot, so it needs no
 * puzzle embedding. Everything else (cycles, gradient window, deep supervision, halting loss, optimizers,
 * checkpoints, evaluation) comes from core, as for any architecture.
 */
import { definePlugin, Embedding, Linear, Module, Rng, SwiGLU, TokenMixingBlock, rmsNorm, tf, truncNormal } from "@recurse/core";
import { z } from "zod";

/** The config: widths and recursion, plus the dataset sizes the CLI fills in from the dataset's metadata. */
const configSchema = z
  .object({
    hiddenSize: z.number().int().min(4).default(32),
    expansion: z.number().positive().default(2),
    /** Outer cycles T per supervision step. */
    cycles: z.number().int().min(1).default(2),
    /** Latent updates n per cycle. */
    latentSteps: z.number().int().min(1).default(2),
    vocabSize: z.number().int().min(2).default(11),
    seqLen: z.number().int().positive().default(81),
    numPuzzleIdentifiers: z.number().int().min(1).default(1),
    haltMaxSteps: z.number().int().min(1).default(8),
    haltExplorationProb: z.number().min(0).max(1).default(0.1),
    seed: z.number().int().default(0),
  })
  .strict();

/** @typedef {z.output<typeof configSchema>} GrrConfig */

class GatedRecurrentReasoner extends Module {
  /** @param {GrrConfig} config */
  constructor(config) {
    super("");
    const rng = new Rng(config.seed);
    const d = config.hiddenSize;
    this.architecture = "grr";
    this.config = Object.freeze({ ...config });
    this.schedule = { cycles: config.cycles, latentSteps: config.latentSteps, gradient: /** @type {const} */ ("last-cycle") };
    this.halting = { policy: /** @type {const} */ ("halt-logit"), maxSteps: config.haltMaxSteps, explorationProb: config.haltExplorationProb };
    this.loss = /** @type {const} */ ("softmax");
    this.prefixLength = 0;
    this.puzzleEmbedding = null;
    this.hiddenSize = d;
    this.embedTokens = this.addModule(new Embedding("embed_tokens", { numEmbeddings: config.vocabSize, dim: d, initStd: 1 / Math.sqrt(d), rng }));
    this.embedPos = this.addModule(new Embedding("embed_pos", { numEmbeddings: config.seqLen, dim: d, initStd: 1 / Math.sqrt(d), rng }));
    this.latentBlock = this.addModule(new TokenMixingBlock("latent.block", { hiddenSize: d, positions: config.seqLen, expansion: config.expansion, rng }));
    this.gate = this.addModule(new Linear("latent.gate", { inFeatures: d, outFeatures: 1, bias: true, rng }));
    this.answerMlp = this.addModule(new SwiGLU("answer.mlp", { hiddenSize: d, expansion: config.expansion, rng }));
    this.lmHead = this.addModule(new Linear("lm_head", { inFeatures: d, outFeatures: config.vocabSize, rng }));
    this.qHead = this.addModule(new Linear("q_head", { inFeatures: d, outFeatures: 1, bias: true, rng }));
    // Start far from halting, so early supervision steps are not cut short (as TRM and HRM do).
    tf.tidy(() => this.qHead.bias?.assign(tf.fill([1], -5)));
    this.yInit = this.addBuffer("y_init", truncNormal([d], 1, rng));
    this.zInit = this.addBuffer("z_init", truncNormal([d], 1, rng));
  }

  /**
   * @param {import("@recurse/core").tf.Tensor2D} inputs int32 [B, L]
   * @returns {import("@recurse/core").tf.Tensor3D} [B, L, D]
   */
  embed(inputs) {
    return tf.tidy(() => {
      const x = this.embedTokens.apply(inputs).add(this.embedPos.weight); // [B, L, D]
      return /** @type {import("@recurse/core").tf.Tensor3D} */ (x.mul(Math.sqrt(this.hiddenSize)));
    });
  }

  /** @param {number} batchSize */
  initialState(batchSize) {
    const L = /** @type {number} */ (this.config.seqLen);
    const d = this.hiddenSize;
    return tf.tidy(() => ({
      y: /** @type {import("@recurse/core").tf.Tensor3D} */ (this.yInit.reshape([1, 1, d]).tile([batchSize, L, 1])), // [B, L, D]
      z: /** @type {import("@recurse/core").tf.Tensor3D} */ (this.zInit.reshape([1, 1, d]).tile([batchSize, L, 1])), // [B, L, D]
    }));
  }

  /** z ← g·block(x + y + z) + (1 − g)·z, g = σ(W_g(x + y + z)) per position. */
  latentUpdate(x, state) {
    return tf.tidy(() => {
      const h = x.add(state.y).add(state.z); // [B, L, D]
      const candidate = this.latentBlock.apply(/** @type {any} */ (h)); // [B, L, D]
      const g = tf.sigmoid(this.gate.apply(h)); // [B, L, 1]
      return g.mul(candidate).add(tf.scalar(1).sub(g).mul(state.z));
    });
  }

  /** y ← rms(y + mlp(y + z)). */
  answerUpdate(_x, state) {
    return tf.tidy(() => rmsNorm(state.y.add(this.answerMlp.apply(state.y.add(state.z)))));
  }

  /** Token logits from y, and one halting logit from y averaged over positions. */
  readout(state) {
    return tf.tidy(() => {
      const logits = this.lmHead.apply(state.y); // [B, L, V]
      const pooled = state.y.mean(1); // [B, D]
      const halt = this.qHead.apply(pooled).reshape([-1]); // [B]
      return { logits, halt };
    });
  }
}

/** The `grr` architecture: schema, presets and factory. */
export const grrArchitecture = {
  id: "grr",
  description: "Gated recurrent reasoner (example plugin): gated latent blend, residual answer MLP, pooled halting head",
  schema: configSchema,
  presets: {
    /** A few seconds of CPU training on 4×4 Sudoku. */
    tiny: { hiddenSize: 32, expansion: 2, cycles: 2, latentSteps: 2, haltMaxSteps: 4 },
    small: { hiddenSize: 64, expansion: 4, cycles: 3, latentSteps: 4, haltMaxSteps: 8 },
  },
  defaultPreset: "tiny",
  /** @param {GrrConfig} config */
  create: (config) => new GatedRecurrentReasoner(config),
};

/** The plugin: `recurse --plugin <this package>` registers `grr`. */
export const plugin = definePlugin({ name: "@recurse/example-custom-reasoner", version: "0.1.0", architectures: [grrArchitecture] });
export default plugin;
