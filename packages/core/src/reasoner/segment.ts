import { tf } from "../tf";
import { ConfigError } from "../errors";
import { noGrad } from "./no-grad";
import type { Readout, ReasonerState, RecursionSchedule, RecursiveReasoner } from "./types";

/** Which update of a supervision step: z ← latentUpdate, or y ← answerUpdate. */
export type UpdateKind = "latent" | "answer";

/** Options of {@link segment}. */
export interface SegmentOptions {
  /**
   * Training: the gradient window is recorded on the tape (call inside `tf.variableGrads`). Otherwise every update
   * runs untaped.
   */
  training: boolean;
}

/** What one supervision step produces. The state is new (the input state is not disposed). */
export interface SegmentResult {
  state: ReasonerState;
  readout: Readout;
}

/**
 * The updates of one supervision step in order, split into the part run without gradient and the gradient
 * window: `cycles` × (`latentSteps` × latent, then answer); `last-cycle` takes the whole final cycle into the
 * window (TRM), `last-step` only the final latent and answer updates (HRM).
 *
 * @example
 * ```ts
 * updatePlan({ cycles: 2, latentSteps: 2, gradient: "last-step" });
 * // { noGrad: ["latent", "latent", "answer", "latent"], withGrad: ["latent", "answer"] }
 * ```
 */
export function updatePlan(schedule: RecursionSchedule): { noGrad: UpdateKind[]; withGrad: UpdateKind[] } {
  const { cycles, latentSteps, gradient } = schedule;
  if (!Number.isInteger(cycles) || cycles < 1) {
    throw new ConfigError(`cycles is ${cycles}`, { field: "schedule.cycles", expected: "an integer ≥ 1" });
  }
  // 0 latent steps is a single-pass model (the transformer baseline): each cycle is one answer update.
  if (!Number.isInteger(latentSteps) || latentSteps < 0) {
    throw new ConfigError(`latentSteps is ${latentSteps}`, { field: "schedule.latentSteps", expected: "an integer ≥ 0" });
  }
  if (gradient !== "last-cycle" && gradient !== "last-step") {
    throw new ConfigError(`gradient is '${String(gradient)}'`, {
      field: "schedule.gradient",
      expected: "'last-cycle' or 'last-step'",
    });
  }
  const plan: UpdateKind[] = [];
  for (let c = 0; c < cycles; c++) {
    for (let l = 0; l < latentSteps; l++) plan.push("latent");
    plan.push("answer");
  }
  const window = gradient === "last-cycle" ? latentSteps + 1 : Math.min(2, latentSteps + 1);
  return { noGrad: plan.slice(0, plan.length - window), withGrad: plan.slice(plan.length - window) };
}

function applyUpdates(reasoner: RecursiveReasoner, x: tf.Tensor3D, state: ReasonerState, kinds: UpdateKind[]): ReasonerState {
  let current = state;
  for (const kind of kinds) {
    const next: ReasonerState =
      kind === "latent" ? { y: current.y, z: reasoner.latentUpdate(x, current) } : { y: reasoner.answerUpdate(x, current), z: current.z };
    // Free each replaced intermediate at once (a long no-grad part would otherwise hold every state until the
    // end); the caller's input state stays. The tape keeps its own copies of what the backward needs.
    const replaced = kind === "latent" ? current.z : current.y;
    if (replaced !== state.y && replaced !== state.z) replaced.dispose();
    current = next;
  }
  return current;
}

/**
 * One supervision step of a recursive reasoner: the early updates without gradient (outside the tape, like the
 * reference's `torch.no_grad()`), then the gradient window, then the readout. `x` is the input embedding
 * (reasoner.embed); in training call this inside `tf.variableGrads` so the window's updates and the readout are
 * differentiated; the early updates are constants to the backward pass.
 *
 * @example
 * ```ts
 * const { grads } = tf.variableGrads(() => {
 *   const x = reasoner.embed(inputs, puzzleRows);
 *   const { readout } = segment(reasoner, x, state, { training: true });
 *   return lossOf(readout);
 * });
 * ```
 */
export function segment(
  reasoner: RecursiveReasoner,
  x: tf.Tensor3D,
  state: ReasonerState,
  options: SegmentOptions,
): SegmentResult {
  const plan = updatePlan(reasoner.schedule);
  const run = (): SegmentResult => {
    const early = noGrad(() => applyUpdates(reasoner, x, state, plan.noGrad));
    const last = applyUpdates(reasoner, x, early, plan.withGrad);
    return { state: last, readout: reasoner.readout(last) };
  };
  const result = tf.tidy(() => {
    const r = options.training ? run() : noGrad(run);
    // The new state never aliases the input one (a schedule without latent steps leaves z untouched), so the
    // caller can dispose the old state without freeing the new.
    const fresh = (t: tf.Tensor3D, input: tf.Tensor3D) => (t === input ? t.clone() : t);
    return { y: fresh(r.state.y, state.y), z: fresh(r.state.z, state.z), ...r.readout } as unknown as tf.TensorContainer;
  }) as unknown as { y: tf.Tensor3D; z: tf.Tensor3D } & Readout;
  const { y, z, ...readout } = result;
  return { state: { y, z }, readout };
}
