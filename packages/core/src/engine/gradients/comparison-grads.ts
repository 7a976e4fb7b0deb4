import { tf } from "../../tf";

/**
 * Comparison and logical kernels whose outputs are piecewise constant: their gradient is zero almost everywhere,
 * which is what PyTorch and TensorFlow use. tfjs registers none for these (only `GreaterEqual`), so backpropagating
 * through e.g. `tf.greater(x, 0).cast("float32").mul(x)` threw "gradient function not found for Greater".
 */
const BINARY = ["Greater", "Less", "LessEqual", "Equal", "NotEqual", "LogicalAnd", "LogicalOr"] as const;
const UNARY = ["LogicalNot"] as const;

function zerosFor(x: tf.Tensor): tf.Tensor {
  return tf.zeros(x.shape, "float32");
}

/** Zero gradients for comparison/logical kernels that have none; existing registrations are left alone. */
export function installComparisonGradients(): void {
  for (const kernelName of BINARY) {
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ["a", "b"],
      gradFunc: (_dy, saved) => {
        const [a, b] = saved as tf.Tensor[];
        return { a: () => zerosFor(a), b: () => zerosFor(b) };
      },
    });
  }
  for (const kernelName of UNARY) {
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ["x"],
      gradFunc: (_dy, saved) => {
        const [x] = saved as tf.Tensor[];
        return { x: () => zerosFor(x) };
      },
    });
  }
}
