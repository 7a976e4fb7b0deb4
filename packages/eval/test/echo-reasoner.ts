import { tf, type ReasonerState, type RecursiveReasoner, type Readout } from "@recurse/core";

/**
 * A reasoner whose answers are known in advance, for running evaluate() through core's real engine. x is the one-hot
 * input; every latent update sets z = x; every answer update moves y a fraction `rate` towards z; logits are
 * y + bias with `bias` on token 1 only. So after k supervision steps (one answer update each) the input token's logit
 * is 1 - (1 - rate)^k: below `bias` the model answers 1 everywhere, above it echoes the input. q_halt is
 * 10 · (that logit - bias), positive from the same step on.
 */
export class EchoReasoner implements RecursiveReasoner {
  readonly architecture = "echo";
  readonly config: Readonly<Record<string, unknown>>;
  readonly schedule = { cycles: 1, latentSteps: 1, gradient: "last-cycle" as const };
  readonly halting = { policy: "halt-logit" as const, maxSteps: 4, explorationProb: 0 };
  readonly loss = "softmax" as const;
  readonly prefixLength = 0;
  readonly puzzleEmbedding = null;
  private readonly bias: tf.Variable;

  constructor(readonly vocab: number, readonly seqLen: number, readonly rate = 0.3, biasOnOne = 0.6) {
    this.config = { vocab, seqLen, rate, biasOnOne };
    const b = new Float32Array(vocab);
    b[1] = biasOnOne;
    this.bias = tf.variable(tf.tensor1d(b), false);
  }

  embed(inputs: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => tf.oneHot(inputs, this.vocab).toFloat() as tf.Tensor3D); // [B, L, V]
  }
  initialState(batchSize: number): ReasonerState {
    const shape: [number, number, number] = [batchSize, this.seqLen, this.vocab];
    return { y: tf.zeros(shape), z: tf.zeros(shape) };
  }
  latentUpdate(x: tf.Tensor3D): tf.Tensor3D {
    return x.clone();
  }
  answerUpdate(_x: tf.Tensor3D, state: ReasonerState): tf.Tensor3D {
    return tf.tidy(() => state.y.add(state.z.sub(state.y).mul(this.rate)) as tf.Tensor3D); // [B, L, V]
  }
  readout(state: ReasonerState): Readout {
    return tf.tidy(() => {
      const logits = state.y.add(this.bias) as tf.Tensor3D; // [B, L, V]
      const strength = state.y.max(-1).mean(-1); // [B]
      const halt = strength.sub(this.bias.gather([1]).squeeze()).mul(10) as tf.Tensor1D;
      return { logits, halt };
    });
  }
  parameters(): Map<string, tf.Variable> {
    return new Map([["bias", this.bias]]);
  }
  buffers(): Map<string, tf.Variable> {
    return new Map();
  }
  dispose(): void {
    this.bias.dispose();
  }
}
