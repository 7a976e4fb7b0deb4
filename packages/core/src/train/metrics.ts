/**
 * Metrics of one supervision step, as the reference loss head computes them: the counting metrics cover only
 * slots that halted at this step and have at least one supervised token, and are sums (as the reference logs
 * them before dividing); `mean` divides by `count`. Losses cover every slot.
 */
export interface SupervisionMetrics {
  /** Halted slots with ≥ 1 label. */
  count: number;
  /** Σ token accuracy (correct / supervised tokens) over counted slots. */
  accuracy: number;
  /** Σ exactly-correct sequences over counted slots. */
  exactAccuracy: number;
  /** Σ [(q_halt ≥ 0) = exactly correct] over counted slots. */
  qHaltAccuracy: number;
  /** Σ supervision steps taken over counted slots. */
  steps: number;
  /** Σ_i Σ_t CE_it / max(n_i, 1) over all slots. */
  lmLoss: number;
  /** Σ BCE(q_halt, exactly correct) over all slots. */
  qHaltLoss: number;
  /** Σ BCE(q_continue, bootstrapped target) (q-learning in training; else 0). */
  qContinueLoss: number;
  /** lmLoss + 0.5·(qHaltLoss + qContinueLoss): the loss before division by the batch size. */
  loss: number;
  /** The counting metrics divided by `count` (0 when nothing was counted). */
  mean: { accuracy: number; exactAccuracy: number; qHaltAccuracy: number; steps: number };
}

/** Per-slot facts the metrics are computed from. */
export interface SlotOutcome {
  halted: Uint8Array;
  steps: Int32Array;
  /** Supervised tokens per slot. */
  supervised: Int32Array;
  /** Correct supervised tokens per slot. */
  correct: ArrayLike<number>;
  qHalt: ArrayLike<number>;
}

/**
 * The reference's metrics from per-slot outcomes and the step's losses.
 *
 * @example
 * ```ts
 * const m = supervisionMetrics(outcome, { lmLoss, qHaltLoss, qContinueLoss: 0 });
 * console.log(m.mean.exactAccuracy);
 * ```
 */
export function supervisionMetrics(
  o: SlotOutcome,
  losses: { lmLoss: number; qHaltLoss: number; qContinueLoss: number },
): SupervisionMetrics {
  let count = 0;
  let accuracy = 0;
  let exact = 0;
  let qAcc = 0;
  let steps = 0;
  for (let i = 0; i < o.halted.length; i++) {
    if (!o.halted[i] || o.supervised[i] === 0) continue;
    const isExact = o.correct[i] === o.supervised[i];
    count++;
    accuracy += o.correct[i] / o.supervised[i];
    if (isExact) exact++;
    if (o.qHalt[i] >= 0 === isExact) qAcc++;
    steps += o.steps[i];
  }
  const mean = (v: number) => (count > 0 ? v / count : 0);
  return {
    count,
    accuracy,
    exactAccuracy: exact,
    qHaltAccuracy: qAcc,
    steps,
    ...losses,
    loss: losses.lmLoss + 0.5 * (losses.qHaltLoss + losses.qContinueLoss),
    mean: { accuracy: mean(accuracy), exactAccuracy: mean(exact), qHaltAccuracy: mean(qAcc), steps: mean(steps) },
  };
}
