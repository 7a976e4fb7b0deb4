import type { tf } from "../tf";
import { Module } from "./module";
import type { RotaryEmbedding } from "./rope";

/** What a block's forward needs beside its input. */
export interface BlockContext {
  /** RoPE tables for attention blocks; absent or null for none. */
  rope?: RotaryEmbedding | null;
  /**
   * Called with intermediate outputs under their module's state_dict name, like torch forward hooks (for traces
   * and parity tests). Runs inside the forward's tf.tidy: copy the values out (`dataSync`) or `tf.keep` them.
   */
  hook?: (name: string, value: tf.Tensor) => void;
}

/** A residual block mapping [B, S, D] to [B, S, D]; the layers of a {@link ReasoningModule}. */
export abstract class Block extends Module {
  abstract apply(h: tf.Tensor3D, context?: BlockContext): tf.Tensor3D;
}
