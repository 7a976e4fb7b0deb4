import { tf } from "../tf";
import { Rng } from "../rng";
import { Block, type BlockContext } from "./block";
import { joinName } from "./module";
import { SwiGLU } from "./swiglu";
import { rmsNorm } from "./rms-norm";

export interface TokenMixingBlockOptions {
  hiddenSize: number;
  /** Sequence positions the token-mixing MLP runs over (seq_len + puzzle prefix). */
  positions: number;
  expansion: number;
  /** SwiGLU inner widths are ceiled to a multiple of this; default 256 (the reference). */
  swigluMultiple?: number;
  rmsNormEps?: number;
  rng: Rng;
}

/**
 * TRM-MLP's block (the reference's block with `mlp_t=True`): a SwiGLU over the sequence axis replaces
 * attention. hᵀ = rms(hᵀ + mlp_t(hᵀ)) normalises over positions; then h = rms(h + mlp(h)) over channels.
 * Variables live under `<name>.mlp_t.*` and `<name>.mlp.*`; the `mlp_t` hook value is in the transposed
 * layout [B, D, S], as the reference records it.
 *
 * @example
 * ```ts
 * const block = new TokenMixingBlock("inner.L_level.layers.0", { hiddenSize: 64, positions: 52, expansion: 4, rng });
 * const out = block.apply(h); // [B, 52, 64]
 * ```
 */
export class TokenMixingBlock extends Block {
  readonly mlpT: SwiGLU;
  readonly mlp: SwiGLU;
  readonly positions: number;
  readonly eps: number;

  constructor(name: string, options: TokenMixingBlockOptions) {
    super(name);
    this.eps = options.rmsNormEps ?? 1e-5;
    this.positions = options.positions;
    this.mlpT = this.addModule(
      new SwiGLU(joinName(name, "mlp_t"), { hiddenSize: options.positions, expansion: options.expansion, multiple: options.swigluMultiple, rng: options.rng }),
    );
    this.mlp = this.addModule(
      new SwiGLU(joinName(name, "mlp"), { hiddenSize: options.hiddenSize, expansion: options.expansion, multiple: options.swigluMultiple, rng: options.rng }),
    );
  }

  apply(h: tf.Tensor3D, context: BlockContext = {}): tf.Tensor3D {
    return tf.tidy(() => {
      if (h.shape[1] !== this.positions) {
        throw new Error(`${this.name}: token-mixing MLP built for ${this.positions} positions, got ${h.shape[1]}`);
      }
      const ht = h.transpose([0, 2, 1]) as tf.Tensor3D; // [B, D, S]
      const mixed = this.mlpT.apply(ht); // [B, D, S]
      context.hook?.(this.mlpT.name, mixed);
      const h1 = rmsNorm(ht.add(mixed) as tf.Tensor3D, this.eps).transpose([0, 2, 1]) as tf.Tensor3D; // [B, S, D]
      const mlp = this.mlp.apply(h1); // [B, S, D]
      context.hook?.(this.mlp.name, mlp);
      const out = rmsNorm(h1.add(mlp) as tf.Tensor3D, this.eps);
      context.hook?.(this.name, out);
      return out;
    });
  }
}
