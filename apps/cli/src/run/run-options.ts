import { stepsForEpochs } from "@recurse/core";
import { CliError } from "../errors";
import type { RunRecord } from "./run-dir";

/** The training options a run is recorded with (`training` of `recurse-run.json`). */
export type RunTraining = RunRecord["training"];

/** The flags of `recurse train` that decide how a run trains, as commander parsed them (defaults applied). */
export interface TrainingFlags {
  steps?: number;
  epochs?: number;
  evalEvery?: number;
  evalLimit?: number;
  checkpointEvery?: number;
  seed: number;
  batchSize: number;
  lr: number;
  puzzleLr: number;
  weightDecay: number;
  optimizer: "adam-atan2" | "adamw";
  warmup?: number;
  minLrRatio: number;
  ema?: number;
}

/** What `--epochs` is converted with: the training split's sizes. */
export type EpochSizes = Parameters<typeof stepsForEpochs>[1];

/** Each flag that sets one recorded option, with its commander attribute and its key in {@link RunTraining}. */
const RECORDED_FLAGS: readonly { flag: string; attr: keyof TrainingFlags; key: keyof RunTraining }[] = [
  { flag: "--batch-size", attr: "batchSize", key: "batchSize" },
  { flag: "--seed", attr: "seed", key: "seed" },
  { flag: "--lr", attr: "lr", key: "lr" },
  { flag: "--puzzle-lr", attr: "puzzleLr", key: "puzzleLr" },
  { flag: "--weight-decay", attr: "weightDecay", key: "weightDecay" },
  { flag: "--optimizer", attr: "optimizer", key: "optimizer" },
  { flag: "--warmup", attr: "warmup", key: "warmupSteps" },
  { flag: "--min-lr-ratio", attr: "minLrRatio", key: "minLrRatio" },
  { flag: "--ema", attr: "ema", key: "ema" },
  { flag: "--eval-every", attr: "evalEvery", key: "evalEvery" },
  { flag: "--eval-limit", attr: "evalLimit", key: "evalLimit" },
  { flag: "--checkpoint-every", attr: "checkpointEvery", key: "checkpointEvery" },
];

/**
 * Every training option of a new run resolved from its flags: defaults filled in, `--epochs` converted to steps,
 * the default warmup (min(2000, 10% of the steps)) computed, so the record alone can continue the run.
 *
 * @example
 * ```ts
 * const training = trainingFromFlags(flags, train.metadata); // { steps: 1000, warmupSteps: 100, lr: 1e-4, ... }
 * ```
 */
export function trainingFromFlags(flags: TrainingFlags, sizes: EpochSizes): RunTraining {
  const steps = flags.steps ?? (flags.epochs === undefined ? 1000 : stepsForEpochs(flags.epochs, sizes, flags.batchSize));
  return {
    steps,
    ...(flags.epochs === undefined ? {} : { epochs: flags.epochs }),
    batchSize: flags.batchSize,
    seed: flags.seed,
    lr: flags.lr,
    puzzleLr: flags.puzzleLr,
    weightDecay: flags.weightDecay,
    optimizer: flags.optimizer,
    warmupSteps: flags.warmup ?? Math.min(2000, Math.round(0.1 * steps)),
    minLrRatio: flags.minLrRatio,
    // An EMA rate of 0 keeps no EMA, as no --ema does.
    ema: flags.ema || null,
    evalEvery: flags.evalEvery ?? 0,
    evalLimit: flags.evalLimit === 0 ? null : (flags.evalLimit ?? 1000),
    checkpointEvery: flags.checkpointEvery ?? 0,
  };
}

/**
 * The training options of a resumed run: the recorded ones. A flag given again with the recorded value is fine;
 * one with another value is refused with a {@link CliError} naming the flag, the recorded value and the given one.
 * `--steps`/`--epochs` may extend the run (a total of at least the recorded one; `--epochs` converted with the
 * recorded batch size); a smaller total is refused. An extended run keeps its recorded warmup.
 *
 * @param given whether the user gave a flag (commander attribute name) on the command line
 * @param run the run directory as the user named it, for the message
 *
 * @example
 * ```ts
 * const training = trainingForResume(record.training, flags, (a) => cmd.getOptionValueSource(a) === "cli", train.metadata, "runs/a");
 * ```
 */
export function trainingForResume(
  recorded: RunTraining,
  flags: TrainingFlags,
  given: (attr: keyof TrainingFlags) => boolean,
  sizes: EpochSizes,
  run: string,
): RunTraining {
  const fromFlags = trainingFromFlags({ ...flags, batchSize: recorded.batchSize }, sizes);
  for (const { flag, attr, key } of RECORDED_FLAGS) {
    if (!given(attr) || sameValue(fromFlags[key], recorded[key])) continue;
    throw contradiction(run, asFlag(flag, recorded[key]), `${flag} ${show(flags[attr])}`);
  }
  // Records written before every option was resolved may hold only the epochs.
  const recordedSteps = recorded.steps ?? stepsForEpochs(recorded.epochs ?? 0, sizes, recorded.batchSize);
  const training: RunTraining = { ...recorded, steps: recordedSteps };
  if (!given("steps") && !given("epochs")) return training;
  const steps = fromFlags.steps!;
  if (steps < recordedSteps) {
    const asked = flags.steps === undefined ? `--epochs ${flags.epochs} (${steps} steps)` : `--steps ${steps}`;
    throw new CliError(`--resume: ${run} was recorded with --steps ${recordedSteps}, but ${asked} was given; a resumed run can only be extended (give at least ${recordedSteps} steps, or leave the flag out)`);
  }
  // The record says what the new total came from: the epochs given now, or none when --steps set it.
  const extended: RunTraining = { ...training, steps };
  delete extended.epochs;
  if (flags.epochs !== undefined) extended.epochs = flags.epochs;
  return extended;
}

/**
 * Refuse `--preset`/`--set` given on resume when they would build another model than the recorded one: a preset
 * other than the recorded, or a `--set key=value` whose value differs from the recorded config's.
 *
 * @example
 * ```ts
 * checkModelFlags(record, { preset: "tiny", overrides: { hiddenSize: 32 } }, "runs/a"); // throws: recorded hiddenSize=16
 * ```
 */
export function checkModelFlags(
  recorded: Pick<RunRecord, "preset" | "config">,
  given: { preset?: string; overrides?: Record<string, unknown> },
  run: string,
): void {
  if (given.preset !== undefined && given.preset !== recorded.preset) {
    throw contradiction(run, `--preset ${recorded.preset}`, `--preset ${given.preset}`);
  }
  for (const [path, value] of leaves(given.overrides ?? {})) {
    const have = path.split(".").reduce<unknown>((obj, k) => (obj !== null && typeof obj === "object" ? (obj as Record<string, unknown>)[k] : undefined), recorded.config);
    if (!sameValue(have, value)) throw contradiction(run, have === undefined ? `no ${path}` : `${path}=${show(have)}`, `--set ${path}=${show(value)}`);
  }
}

function contradiction(run: string, recorded: string, given: string): CliError {
  return new CliError(`--resume: ${run} was recorded with ${recorded}, but ${given} was given (leave the flag out to continue the run as recorded)`);
}

/** Dotted paths and values of the leaves of nested override objects (`{ a: { b: 1 } }` → `a.b`, 1). */
function leaves(obj: Record<string, unknown>, prefix = ""): [string, unknown][] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? leaves(v as Record<string, unknown>, `${prefix}${k}.`) : [[`${prefix}${k}`, v] as [string, unknown]],
  );
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A recorded option as the flag that gives it: no EMA is `null` (no --ema), an unlimited evaluation too (--eval-limit 0). */
function asFlag(flag: string, value: unknown): string {
  if (value !== null && value !== undefined) return `${flag} ${show(value)}`;
  return flag === "--eval-limit" ? `${flag} 0` : `no ${flag}`;
}

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
