import { tf } from "../tf";
import { Rng } from "../rng";
import { Block, type BlockContext } from "./block";
import { joinName } from "./module";
import { Attention } from "./attention";
import { SwiGLU } from "./swiglu";
import { rmsNorm } from "./rms-norm";

export interface TransformerBlockOptions {
  hiddenSize: number;
  numHeads: number;
  expansion: number;
  /** SwiGLU inner widths are ceiled to a multiple of this; default 256 (the reference). */
  swigluMultiple?: number;
  rmsNormEps?: number;
  rng: Rng;
}

/**
 * The reference's post-norm block: h = rms(h + self_attn(h)); h = rms(h + mlp(h)). Variables live under
 * `<name>.self_attn.*` and `<name>.mlp.*`.
 *
 * @example
 * ```ts
 * const block = new TransformerBlock("inner.L_level.layers.0", { hiddenSize: 64, numHeads: 4, expansion: 4, rng });
 * const out = block.apply(h, { rope }); // [B, S, 64]
 * ```
 */
export class TransformerBlock extends Block {
  readonly selfAttn: Attention;
  readonly mlp: SwiGLU;
  readonly eps: number;

  constructor(name: string, options: TransformerBlockOptions) {
    super(name);
    this.eps = options.rmsNormEps ?? 1e-5;
    this.selfAttn = this.addModule(
      new Attention(joinName(name, "self_attn"), { hiddenSize: options.hiddenSize, numHeads: options.numHeads, rng: options.rng }),
    );
    this.mlp = this.addModule(
      new SwiGLU(joinName(name, "mlp"), { hiddenSize: options.hiddenSize, expansion: options.expansion, multiple: options.swigluMultiple, rng: options.rng }),
    );
  }

  apply(h: tf.Tensor3D, context: BlockContext = {}): tf.Tensor3D {
    return tf.tidy(() => {
      const attn = this.selfAttn.apply(h, context.rope); // [B, S, D]
      context.hook?.(this.selfAttn.name, attn);
      const h1 = rmsNorm(h.add(attn) as tf.Tensor3D, this.eps);
      const mlp = this.mlp.apply(h1); // [B, S, D]
      context.hook?.(this.mlp.name, mlp);
      const out = rmsNorm(h1.add(mlp) as tf.Tensor3D, this.eps);
      context.hook?.(this.name, out);
      return out;
    });
  }
}
