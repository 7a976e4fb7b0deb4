import { tf } from "../../tf";
import { wasmMatMul } from "./batch-mat-mul";
import { wasmRuntime } from "./wasm-runtime";

/**
 * `_FusedMatMul` (matmul + bias + activation, `tf.fused.matMul`) for the wasm backend. tfjs's kernel takes the same
 * slow scalar path as its `BatchMatMul` for transposed or batched operands; those now run the engine's matmul and
 * then the backend's own bias-add and activation kernels. A plain 2-D product keeps tfjs's fused XNNPACK kernel.
 */

const ACTIVATION_KERNEL: Record<string, string | undefined> = {
  linear: undefined,
  relu: "Relu",
  relu6: "Relu6",
  elu: "Elu",
  sigmoid: "Sigmoid",
  leakyrelu: "LeakyRelu",
  prelu: "Prelu",
};

interface FusedAttrs {
  transposeA: boolean;
  transposeB: boolean;
  activation: string;
  leakyreluAlpha?: number;
}

/** Build the replacement around the kernel it replaces (kept for the plain 2-D case). */
export function fusedMatMulConfig(original: tf.KernelConfig | undefined): tf.KernelConfig {
  const setUp = new WeakSet<object>();
  const kernelFunc: tf.KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const { a, b, bias, preluActivationWeights } = inputs as Record<string, tf.TensorInfo | undefined>;
    const { transposeA, transposeB, activation, leakyreluAlpha } = attrs as unknown as FusedAttrs;
    if (!a || !b) throw new Error("_FusedMatMul needs inputs a and b");
    if (!(activation in ACTIVATION_KERNEL)) {
      throw new Error(`${activation} activation not yet supported for _FusedMatMul in the wasm backend.`);
    }
    const plain =
      !transposeA &&
      !transposeB &&
      tf.util.sizeFromShape(a.shape.slice(0, -2)) === 1 &&
      tf.util.sizeFromShape(b.shape.slice(0, -2)) === 1 &&
      (bias == null || bias.shape.length === 1);
    if (plain && original) {
      if (!setUp.has(backend)) {
        original.setupFunc?.(backend as tf.KernelBackend);
        setUp.add(backend);
      }
      return original.kernelFunc(args);
    }

    const rt = wasmRuntime(backend);
    const kb = backend as tf.KernelBackend;
    let y = wasmMatMul(rt, a, b, !!transposeA, !!transposeB);
    const step = (next: tf.TensorInfo) => {
      rt.backend.disposeData(y.dataId);
      y = next;
    };
    try {
      if (bias) {
        step(
          tf.getKernel("Add", "wasm").kernelFunc({
            inputs: { a: y, b: bias },
            backend: kb,
          }) as tf.TensorInfo,
        );
      }
      const act = ACTIVATION_KERNEL[activation];
      if (act === "Prelu") {
        if (!preluActivationWeights) throw new Error("_FusedMatMul with prelu needs preluActivationWeights");
        const prelu = tf.getKernel("Prelu", "wasm");
        step(
          prelu.kernelFunc({
            inputs: { x: y, alpha: preluActivationWeights },
            backend: kb,
          }) as tf.TensorInfo,
        );
      } else if (act === "LeakyRelu") {
        const leaky = tf.getKernel("LeakyRelu", "wasm");
        step(
          leaky.kernelFunc({
            inputs: { x: y },
            backend: kb,
            attrs: { alpha: leakyreluAlpha ?? 0.2 },
          }) as tf.TensorInfo,
        );
      } else if (act) {
        step(tf.getKernel(act, "wasm").kernelFunc({ inputs: { x: y }, backend: kb }) as tf.TensorInfo);
      }
      return y;
    } catch (err) {
      rt.backend.disposeData(y.dataId);
      throw err;
    }
  };
  return { kernelName: "_FusedMatMul", backendName: "wasm", kernelFunc };
}
