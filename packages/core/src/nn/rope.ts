import { tf } from "../tf";

/** cos and sin tables, [positions, headDim] each, row-major. */
export interface RopeTables {
  positions: number;
  headDim: number;
  cos: Float32Array;
  sin: Float32Array;
}

/**
 * RoPE tables as the reference's `RotaryEmbedding` builds them, rounding to float32 at each of its steps:
 * inv_freq = 1/θ^(arange(0, d, 2)/d), freqs = outer(t, inv_freq), emb = cat(freqs, freqs), then cos and sin.
 *
 * @example
 * ```ts
 * const { cos, sin } = ropeTables(97, 64, 10000); // Sudoku: 81 cells + 16 puzzle positions, head_dim 64
 * ```
 */
export function ropeTables(positions: number, headDim: number, theta = 10000): RopeTables {
  if (headDim % 2 !== 0) throw new Error(`RoPE head_dim must be even, got ${headDim}`);
  const half = headDim / 2;
  const f = Math.fround;
  const invFreq = new Float32Array(half);
  for (let i = 0; i < half; i++) invFreq[i] = f(1 / f(Math.pow(theta, f((2 * i) / headDim))));
  const cos = new Float32Array(positions * headDim);
  const sin = new Float32Array(positions * headDim);
  for (let t = 0; t < positions; t++) {
    for (let i = 0; i < half; i++) {
      const angle = f(t * invFreq[i]);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      cos[t * headDim + i] = c;
      cos[t * headDim + half + i] = c;
      sin[t * headDim + i] = s;
      sin[t * headDim + half + i] = s;
    }
  }
  return { positions, headDim, cos, sin };
}

/** `rotate_half(x) = cat(-x2, x1)` over the last axis. */
export function rotateHalf<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => {
    const d = x.shape[x.shape.length - 1];
    const [x1, x2] = tf.split(x, [d / 2, d / 2], -1);
    return tf.concat([x2.neg(), x1], -1) as T;
  });
}

/**
 * The RoPE tables of a model, held as tensors [positions, headDim] (the reference's non-persistent
 * `rotary_emb.cos_cached` / `sin_cached` buffers).
 *
 * @example
 * ```ts
 * const rope = new RotaryEmbedding({ positions: 20, headDim: 16 });
 * const qRot = rope.apply(q); // q [B, S, H, D]
 * rope.dispose();
 * ```
 */
export class RotaryEmbedding {
  readonly positions: number;
  readonly headDim: number;
  /** [positions, headDim] */
  readonly cos: tf.Tensor2D;
  /** [positions, headDim] */
  readonly sin: tf.Tensor2D;

  constructor(options: { positions: number; headDim: number; theta?: number }) {
    const tables = ropeTables(options.positions, options.headDim, options.theta ?? 10000);
    this.positions = tables.positions;
    this.headDim = tables.headDim;
    this.cos = tf.tensor2d(tables.cos, [tables.positions, tables.headDim]);
    this.sin = tf.tensor2d(tables.sin, [tables.positions, tables.headDim]);
  }

  /** x [B, S, H, D] with S == positions -> x·cos + rotate_half(x)·sin, tables broadcast over batch and heads. */
  apply<T extends tf.Tensor>(x: T): T {
    return tf.tidy(() => {
      const [, s, , d] = x.shape;
      if (s !== this.positions || d !== this.headDim) {
        throw new Error(`RoPE: input [*, ${s}, *, ${d}] does not fit tables [${this.positions}, ${this.headDim}]`);
      }
      const cos = this.cos.reshape([s, 1, d]); // [S, 1, D]
      const sin = this.sin.reshape([s, 1, d]);
      return x.mul(cos).add(rotateHalf(x).mul(sin)) as T;
    });
  }

  dispose(): void {
    this.cos.dispose();
    this.sin.dispose();
  }
}
