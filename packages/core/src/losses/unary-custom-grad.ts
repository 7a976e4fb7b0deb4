import { tf } from "../tf";

/** Forward of a one-input op with an analytic gradient: the value and dL/dx given dL/dvalue. */
export type UnaryGradForward = (
  x: tf.Tensor,
  save: tf.GradSaveFunc,
) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor };

/** `tf.customGrad` for a single tensor input, with precise parameter types. */
export function unaryCustomGrad(forward: UnaryGradForward): (x: tf.Tensor) => tf.Tensor {
  const f = (...args: (tf.Tensor | tf.GradSaveFunc)[]) => forward(args[0] as tf.Tensor, args[1] as tf.GradSaveFunc);
  return tf.customGrad(f as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor) => tf.Tensor;
}
