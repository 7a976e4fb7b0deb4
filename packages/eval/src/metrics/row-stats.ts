import { IGNORE_LABEL } from "@recurse/core";

/** Per-example counts over the non-ignored label positions of one [N, L] prediction array. */
export interface RowStats {
  /** Non-ignored label positions per example, [N]. */
  labeled: Int32Array;
  /** Of those, positions where the prediction equals the label, [N]. */
  correct: Int32Array;
}

/**
 * Whether a label carries no loss. The contract says ignored labels are {@link IGNORE_LABEL}; the dataset's own
 * ignore id (PAD) is accepted too, because the reference maps one to the other and an unmapped label would
 * otherwise be scored silently.
 */
export function makeIgnore(ignoreLabelId: number | null | undefined): (label: number) => boolean {
  if (ignoreLabelId === null || ignoreLabelId === undefined || ignoreLabelId === IGNORE_LABEL) {
    return (label) => label === IGNORE_LABEL;
  }
  return (label) => label === IGNORE_LABEL || label === ignoreLabelId;
}

/**
 * Count, per example, the labeled positions and the correctly predicted ones.
 *
 * @example
 * ```ts
 * const { labeled, correct } = rowStats(output.predictions, output.labels, output.numExamples, output.seqLen);
 * ```
 */
export function rowStats(
  predictions: Int32Array,
  labels: Int32Array,
  numExamples: number,
  seqLen: number,
  ignoreLabelId?: number | null,
): RowStats {
  const ignored = makeIgnore(ignoreLabelId);
  const labeled = new Int32Array(numExamples);
  const correct = new Int32Array(numExamples);
  for (let i = 0; i < numExamples; i++) {
    let n = 0;
    let c = 0;
    const base = i * seqLen;
    for (let t = 0; t < seqLen; t++) {
      const label = labels[base + t];
      if (ignored(label)) continue;
      n++;
      if (predictions[base + t] === label) c++;
    }
    labeled[i] = n;
    correct[i] = c;
  }
  return { labeled, correct };
}

/** Accuracy figures over the examples that have at least one labeled position (the reference's `loss_counts > 0`). */
export interface AccuracySummary {
  /** Examples with at least one labeled position. */
  examples: number;
  /** Fraction of those answered exactly right. */
  exact: number | null;
  /** Mean over those examples of each one's fraction of right tokens (the reference's `accuracy`). */
  tokenMean: number | null;
  /** Right tokens over all labeled tokens. */
  tokenPooled: number | null;
  /** All labeled tokens. */
  tokens: number;
}

/** `num / den`, or null when `den` is 0 (JSON has no NaN, and an empty set has no rate). */
export function ratio(num: number, den: number): number | null {
  return den > 0 ? num / den : null;
}

/**
 * Summarise {@link RowStats}; rates over an empty set are null.
 *
 * @example
 * ```ts
 * summarise(rowStats(preds, labels, n, seqLen)).exact; // 0.87
 * ```
 */
export function summarise(stats: RowStats): AccuracySummary {
  let examples = 0;
  let exact = 0;
  let tokenMean = 0;
  let tokens = 0;
  let right = 0;
  for (let i = 0; i < stats.labeled.length; i++) {
    const n = stats.labeled[i];
    if (n === 0) continue;
    examples++;
    if (stats.correct[i] === n) exact++;
    tokenMean += stats.correct[i] / n;
    tokens += n;
    right += stats.correct[i];
  }
  return {
    examples,
    exact: ratio(exact, examples),
    tokenMean: ratio(tokenMean, examples),
    tokenPooled: ratio(right, tokens),
    tokens,
  };
}

/** 1 where the example has labels and all of them are right, [N]. */
export function exactMask(stats: RowStats): Uint8Array {
  const out = new Uint8Array(stats.labeled.length);
  for (let i = 0; i < out.length; i++) out[i] = stats.labeled[i] > 0 && stats.correct[i] === stats.labeled[i] ? 1 : 0;
  return out;
}
