import { tf } from "../tf";
import { EngineError } from "../errors";

interface EngineState {
  kernelDepth: number;
}

/**
 * Run `fn` without recording its operations on the gradient tape (torch's `no_grad`): inside a
 * `tf.variableGrads`/`tf.grad` call, what `fn` computes is a constant to the backward pass, saves no activations
 * for it, and costs nothing in the backward. Tensors are tracked by the enclosing scopes as usual.
 *
 * TensorFlow.js has no public stop-gradient; its engine already suspends the tape while a kernel runs, and this
 * uses that same switch (engine state `kernelDepth`, tfjs 4.x). `test/segment.test.ts` verifies the behaviour, so
 * an engine upgrade that changes it fails loudly.
 *
 * @example
 * ```ts
 * const { grads } = tf.variableGrads(() => {
 *   const frozen = noGrad(() => net(x)); // no gradient flows through this call
 *   return net(frozen).sum();
 * });
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  const state = (tf.engine() as unknown as { state?: Partial<EngineState> }).state;
  if (!state || typeof state.kernelDepth !== "number") {
    throw new EngineError("this TensorFlow.js engine has no tape switch (engine.state.kernelDepth); expected tfjs 4.x");
  }
  state.kernelDepth++;
  try {
    return fn();
  } finally {
    state.kernelDepth--;
  }
}
