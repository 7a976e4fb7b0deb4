export { stablemax, logStablemax, stablemaxCrossEntropy } from "./stablemax";
export { softmaxCrossEntropy } from "./softmax-cross-entropy";
export { bceWithLogits } from "./bce-with-logits";
export type { Reduction } from "./bce-with-logits";
export { tokenCrossEntropy, sequenceMeanLoss } from "./token-loss";
