/**
 * The one TensorFlow.js instance of the project. Every package reaches tensors through `@recurse/core`'s `tf`,
 * so exactly one engine and one backend registry exist in a process.
 */
import * as tf from "@tensorflow/tfjs";

export { tf };
export type Tensor = tf.Tensor;
