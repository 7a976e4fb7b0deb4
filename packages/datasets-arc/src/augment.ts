import type { Rng } from "@recurse/core";
import { pairsHash } from "./hash";
import { applyPlan, randomPlan, versionName, type AugmentationPlan } from "./plan";
import type { ArcPair, ArcTask } from "./task";

/** Trials per wanted version before giving up on finding more unique ones (the reference factor). */
export const AUGMENT_RETRIES_FACTOR = 5;

/** One version of a puzzle: the original (plan null) or an augmentation of it, with its identifier name. */
export interface ArcVersion {
  /** `"{id}"` for the original, `"{id}|||t{tid}|||{perm}"` for an augmentation. */
  name: string;
  plan: AugmentationPlan | null;
  train: ArcPair[];
  test: ArcPair[];
}

/**
 * The original version of a task, then up to `count` augmented versions that differ from it and from each other
 * (duplicates removed by the reference puzzle hash over all pairs, train and test together), drawing at most
 * `5 * count` plans. A generator, so a builder can write each version and drop it.
 *
 * @example
 * ```ts
 * for (const version of augmentTask(task, 1000, new Rng(42))) write(version);
 * ```
 */
export function* augmentTask(task: ArcTask, count: number, rng: Rng): Generator<ArcVersion> {
  yield { name: versionName(task.id, null), plan: null, train: task.train, test: task.test };
  if (count <= 0) return;
  const seen = new Set<string>([pairsHash([...task.train, ...task.test])]);
  let made = 0;
  for (let trial = 0; trial < AUGMENT_RETRIES_FACTOR * count && made < count; trial++) {
    const plan = randomPlan(rng);
    const map = (p: ArcPair): ArcPair => ({ input: applyPlan(p.input, plan), output: applyPlan(p.output, plan) });
    const train = task.train.map(map);
    const test = task.test.map(map);
    const h = pairsHash([...train, ...test]);
    if (seen.has(h)) continue;
    seen.add(h);
    made++;
    yield { name: versionName(task.id, plan), plan, train, test };
  }
}
