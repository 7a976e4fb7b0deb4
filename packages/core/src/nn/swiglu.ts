import { tf } from "../tf";
import { Rng } from "../rng";
import { Module, joinName } from "./module";
import { Linear } from "./linear";

/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The SwiGLU inner width: round(expansion·hidden·2/3) ceiled to a multiple of `multiple` (256 in the reference).
 *
 * @example
 * ```ts
 * swigluIntermediateSize(512, 4); // 1536
 * swigluIntermediateSize(97, 4);  // 512
 * ```
 */
export function swigluIntermediateSize(hiddenSize: number, expansion: number, multiple = 256): number {
  const raw = roundHalfEven((expansion * hiddenSize * 2) / 3);
  return Math.ceil(raw / multiple) * multiple;
}

export interface SwiGLUOptions {
  hiddenSize: number;
  expansion: number;
  /** The inner width is ceiled to a multiple of this; default 256 (the reference). Small CPU models use less. */
  multiple?: number;
  rng: Rng;
}

/**
 * The reference's SwiGLU: `gate_up_proj` [2·inter, hidden] whose output is split gate-then-up, and
 * `down_proj` [hidden, inter]; out = down(silu(gate) · up). Applies over the last axis.
 *
 * @example
 * ```ts
 * const mlp = new SwiGLU("inner.L_level.layers.0.mlp", { hiddenSize: 64, expansion: 4, rng });
 * const y = mlp.apply(h); // [B, L, 64] -> [B, L, 64]
 * ```
 */
export class SwiGLU extends Module {
  readonly hiddenSize: number;
  readonly intermediateSize: number;
  readonly gateUp: Linear;
  readonly down: Linear;

  constructor(name: string, options: SwiGLUOptions) {
    super(name);
    this.hiddenSize = options.hiddenSize;
    this.intermediateSize = swigluIntermediateSize(options.hiddenSize, options.expansion, options.multiple);
    const inter = this.intermediateSize;
    this.gateUp = this.addModule(
      new Linear(joinName(name, "gate_up_proj"), { inFeatures: options.hiddenSize, outFeatures: 2 * inter, rng: options.rng }),
    );
    this.down = this.addModule(
      new Linear(joinName(name, "down_proj"), { inFeatures: inter, outFeatures: options.hiddenSize, rng: options.rng }),
    );
  }

  /** x [..., hidden] -> [..., hidden] */
  apply<T extends tf.Tensor>(x: T): T {
    return tf.tidy(() => {
      const gateUp = this.gateUp.apply(x); // [..., 2·inter]
      const [gate, up] = tf.split(gateUp, 2, -1); // [..., inter] each
      const act = gate.mul(tf.sigmoid(gate)).mul(up); // silu(gate)·up
      return this.down.apply(act) as T;
    });
  }
}
