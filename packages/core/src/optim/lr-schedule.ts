/** Settings of {@link cosineScheduleWithWarmup}. */
export interface LrScheduleOptions {
  baseLr: number;
  /** Linear warmup length (reference `lr_warmup_steps`, 2000). */
  warmupSteps: number;
  /** Total optimizer steps of the run. */
  totalSteps: number;
  /** Floor of the cosine as a fraction of `baseLr` (reference `lr_min_ratio`, 1.0 = constant after warmup). */
  minRatio: number;
  /** Cosine half-periods over the decay; default 0.5 (one half cosine from base to the floor). */
  numCycles?: number;
}

/**
 * The reference's `cosine_schedule_with_warmup_lr_lambda`: the learning rate of the 1-based optimizer step `step`
 * (the reference increments its counter before asking, so the first update uses base/warmup):
 * ```
 * step < warmup:  base · step / max(1, warmup)
 * otherwise:      base · (minRatio + max(0, (1 − minRatio) · ½ · (1 + cos(π · 2·numCycles · progress))))
 *                 progress = (step − warmup) / max(1, total − warmup)
 * ```
 *
 * @example
 * ```ts
 * cosineScheduleWithWarmup(1, { baseLr: 1e-4, warmupSteps: 2000, totalSteps: 26041, minRatio: 1 }); // 5e-8
 * ```
 */
export function cosineScheduleWithWarmup(step: number, options: LrScheduleOptions): number {
  const { baseLr, warmupSteps, totalSteps, minRatio } = options;
  const numCycles = options.numCycles ?? 0.5;
  if (step < warmupSteps) return (baseLr * step) / Math.max(1, warmupSteps);
  const progress = (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
  return baseLr * (minRatio + Math.max(0, (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * numCycles * 2 * progress))));
}
