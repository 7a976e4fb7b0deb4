import { ConfigError } from "../errors";
import type { Rng } from "../rng";
import type { HaltingConfig } from "./types";

/**
 * How a reasoner stops refining, decided per example after each supervision step.
 * - `q-learning` (HRM): halt when q_halt > q_continue; training also fits q_continue to a bootstrapped target.
 * - `halt-logit` (TRM): halt when q_halt > 0 (sigmoid > ½).
 * - `fixed`: only the step limit.
 * Every policy halts at `maxSteps`.
 */
export interface HaltingPolicy {
  readonly kind: HaltingConfig["policy"];
  readonly maxSteps: number;
  /** Whether the halting logits ask to stop (step limit and exploration aside). */
  wantsHalt(qHalt: number, qContinue: number | undefined): boolean;
  /** Training fits q_continue to sigmoid(next q_halt or max(next q_halt, next q_continue)) (HRM). */
  readonly bootstrapsContinue: boolean;
}

/**
 * The policy object of a halting config.
 *
 * @example
 * ```ts
 * const policy = haltingPolicy({ policy: "halt-logit", maxSteps: 16, explorationProb: 0.1 });
 * policy.wantsHalt(0.3, undefined); // true
 * ```
 */
export function haltingPolicy(config: HaltingConfig): HaltingPolicy {
  const { policy, maxSteps } = config;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) {
    throw new ConfigError(`maxSteps is ${maxSteps}`, { field: "halting.maxSteps", expected: "an integer ≥ 1" });
  }
  switch (policy) {
    case "q-learning":
      return {
        kind: policy,
        maxSteps,
        bootstrapsContinue: true,
        wantsHalt(qHalt, qContinue) {
          if (qContinue === undefined) {
            throw new ConfigError("the q-learning policy needs a continue logit but the readout has none", {
              field: "halting.policy",
              expected: "'halt-logit' or 'fixed' for a reasoner without a continue head",
            });
          }
          return qHalt > qContinue;
        },
      };
    case "halt-logit":
      return { kind: policy, maxSteps, bootstrapsContinue: false, wantsHalt: (qHalt) => qHalt > 0 };
    case "fixed":
      return { kind: policy, maxSteps, bootstrapsContinue: false, wantsHalt: () => false };
    default:
      throw new ConfigError(`unknown halting policy '${String(policy)}'`, {
        field: "halting.policy",
        expected: "'q-learning', 'halt-logit' or 'fixed'",
      });
  }
}

/**
 * Minimum step counts for exploration, drawn as the reference does: first a uniform per example, then an integer
 * uniform in [2, maxSteps] per example; the minimum is that integer where the uniform is below `probability`,
 * else 0.
 */
export function explorationMinSteps(rng: Rng, count: number, probability: number, maxSteps: number): Int32Array {
  const u = new Float64Array(count);
  for (let i = 0; i < count; i++) u[i] = rng.next();
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const k = rng.int(2, maxSteps + 1);
    out[i] = u[i] < probability ? k : 0;
  }
  return out;
}

/** Inputs of {@link decideHalting}. */
export interface HaltingInput {
  /** Steps taken by each example, this step included, [B]. */
  steps: Int32Array;
  qHalt: ArrayLike<number>;
  qContinue?: ArrayLike<number>;
  /**
   * `train`: limit, policy and exploration (the reference's training mode). `eval`: the limit only (every example
   * runs `maxSteps`, the reference's evaluation). `adaptive`: limit and policy, no exploration.
   */
  mode: "train" | "eval" | "adaptive";
  /** Exploration draws (train mode). */
  rng?: Rng;
  explorationProb?: number;
}

/**
 * Which examples halt after this supervision step (1 = halted), exactly as the reference ACT wrapper:
 * `halted = steps ≥ maxSteps`; in training (and maxSteps > 1) also `|= policy says halt`, then
 * `&= steps ≥ exploration minimum`.
 *
 * @example
 * ```ts
 * const halted = decideHalting(policy, { steps, qHalt, mode: "train", rng, explorationProb: 0.1 });
 * ```
 */
export function decideHalting(policy: HaltingPolicy, input: HaltingInput): Uint8Array {
  const { steps, qHalt, qContinue, mode } = input;
  const n = steps.length;
  const halted = new Uint8Array(n);
  for (let i = 0; i < n; i++) halted[i] = steps[i] >= policy.maxSteps ? 1 : 0;
  if (mode === "eval" || policy.maxSteps <= 1) return halted;
  for (let i = 0; i < n; i++) {
    if (policy.wantsHalt(qHalt[i], qContinue?.[i])) halted[i] = 1;
  }
  if (mode === "train") {
    const probability = input.explorationProb ?? 0;
    if (probability > 0 || input.rng) {
      if (!input.rng) throw new ConfigError("exploration needs an Rng", { field: "rng", expected: "an Rng instance" });
      const minSteps = explorationMinSteps(input.rng, n, probability, policy.maxSteps);
      for (let i = 0; i < n; i++) if (steps[i] < minSteps[i]) halted[i] = 0;
    }
  }
  return halted;
}
