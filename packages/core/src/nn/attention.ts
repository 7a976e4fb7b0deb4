import { tf } from "../tf";
import { Rng } from "../rng";
import { Module, joinName } from "./module";
import { Linear } from "./linear";
import type { RotaryEmbedding } from "./rope";

export interface AttentionOptions {
  hiddenSize: number;
  numHeads: number;
  /** Default floor(hiddenSize / numHeads), as the reference derives it (the output size may then be < hidden). */
  headDim?: number;
  rng: Rng;
}

/**
 * Non-causal multi-head self-attention as in the reference's `Attention`: a fused `qkv_proj` [3·H·d, hidden]
 * whose output splits along heads as [q heads | k heads | v heads], RoPE on q and k when given, softmax scale
 * 1/√d, and `o_proj` [hidden, H·d]. Key/value heads equal query heads (the reference's configs always do).
 *
 * @example
 * ```ts
 * const attn = new Attention("inner.L_level.layers.0.self_attn", { hiddenSize: 64, numHeads: 4, rng });
 * const out = attn.apply(h, rope); // [B, S, 64]
 * ```
 */
export class Attention extends Module {
  readonly hiddenSize: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly qkv: Linear;
  readonly out: Linear;

  constructor(name: string, options: AttentionOptions) {
    super(name);
    this.hiddenSize = options.hiddenSize;
    this.numHeads = options.numHeads;
    this.headDim = options.headDim ?? Math.floor(options.hiddenSize / options.numHeads);
    const inner = this.numHeads * this.headDim;
    this.qkv = this.addModule(
      new Linear(joinName(name, "qkv_proj"), { inFeatures: options.hiddenSize, outFeatures: 3 * inner, rng: options.rng }),
    );
    this.out = this.addModule(
      new Linear(joinName(name, "o_proj"), { inFeatures: inner, outFeatures: options.hiddenSize, rng: options.rng }),
    );
  }

  /** h [B, S, hidden] -> [B, S, hidden]; `rope` rotates q and k when present. */
  apply(h: tf.Tensor3D, rope?: RotaryEmbedding | null): tf.Tensor3D {
    return tf.tidy(() => {
      const [b, s] = h.shape;
      const nh = this.numHeads;
      const d = this.headDim;
      const qkv = this.qkv.apply(h).reshape([b, s, 3 * nh, d]); // [B, S, 3H, d]
      let [q, k, v] = tf.split(qkv, 3, 2) as tf.Tensor4D[]; // [B, S, H, d] each
      if (rope) {
        q = rope.apply(q);
        k = rope.apply(k);
      }
      const qh = q.transpose([0, 2, 1, 3]); // [B, H, S, d]
      const kh = k.transpose([0, 2, 1, 3]);
      const vh = v.transpose([0, 2, 1, 3]);
      const scores = tf.matMul(qh, kh, false, true).mul(1 / Math.sqrt(d)); // [B, H, S, S]
      const probs = tf.softmax(scores, -1);
      const ctx = tf.matMul(probs, vh); // [B, H, S, d]
      const merged = ctx.transpose([0, 2, 1, 3]).reshape([b, s, nh * d]); // [B, S, H·d]
      return this.out.apply(merged) as tf.Tensor3D;
    });
  }
}
