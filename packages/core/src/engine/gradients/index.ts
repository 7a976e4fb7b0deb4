import { installBatchMatMulGradient } from "./batch-mat-mul-grad";
import { installComparisonGradients } from "./comparison-grads";

/**
 * Gradient registrations that tfjs lacks or gets wrong, for every engine (gradients are engine-independent in
 * tfjs): zero gradients through comparisons, and matmul gradients under batch broadcasting. Idempotent.
 */
export function installGradientFixes(): void {
  installComparisonGradients();
  installBatchMatMulGradient();
}
