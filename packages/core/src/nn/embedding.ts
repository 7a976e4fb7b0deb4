import { tf } from "../tf";
import { Rng } from "../rng";
import { Module } from "./module";
import { truncNormal } from "./trunc-normal";

export interface EmbeddingOptions {
  numEmbeddings: number;
  dim: number;
  /** Standard deviation of the truncated-normal init (the reference uses 1/√hidden); 0 gives zeros. */
  initStd: number;
  rng: Rng;
}

/**
 * The reference's `CastedEmbedding`: a table [num, dim] stored as `<name>.embedding_weight`.
 *
 * @example
 * ```ts
 * const emb = new Embedding("inner.embed_tokens", { numEmbeddings: 12, dim: 32, initStd: 1 / Math.sqrt(32), rng });
 * const x = emb.apply(ids); // int32 [B, L] -> [B, L, 32]
 * ```
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly dim: number;
  /** [num, dim] */
  readonly weight: tf.Variable;

  constructor(name: string, options: EmbeddingOptions) {
    super(name);
    this.numEmbeddings = options.numEmbeddings;
    this.dim = options.dim;
    this.weight = this.addParameter(
      "embedding_weight",
      truncNormal([options.numEmbeddings, options.dim], options.initStd, options.rng),
    );
  }

  /** Integer ids of any shape S -> [...S, dim]. */
  apply(ids: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.gather(this.weight, ids.dtype === "int32" ? ids : ids.toInt()));
  }
}
