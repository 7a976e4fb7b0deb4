import { appendFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { tf } from "../tf";
import { CheckpointError, ConfigError, TrainingDivergedError } from "../errors";
import { writeFileAtomic } from "../formats/atomic";
import { loadCheckpoint, saveCheckpoint, type CheckpointContent } from "../formats/checkpoint";
import type { NamedTensor } from "../formats/safetensors";
import { AdamATan2 } from "../optim/adam-atan2";
import { AdamW } from "../optim/adamw";
import { Ema } from "../optim/ema";
import { cosineScheduleWithWarmup } from "../optim/lr-schedule";
import { SparseSignSGD } from "../optim/sparse-sign-sgd";
import type { DenseOptimizer } from "../optim/state";
import { disposeCarry, initialCarry, type SupervisionCarry } from "../reasoner/carry";
import { Rng } from "../rng";
import { evaluate } from "./evaluate";
import { summarizeEvaluation, type EvaluationSummary } from "./evaluation-summary";
import type { SupervisionMetrics } from "./metrics";
import { assignNamed, fromNamedTensor, stateTensors, tensorsFromStored, toNamedTensor, toNamedTensors } from "./named-tensors";
import { stepsForEpochs, TrainSampler, type SamplerState } from "./sampler";
import { supervisionStep } from "./supervision-step";
import { checkTrainerCheckpoint, firstNonFinite } from "./trainer-checkpoint";
import type { TrainerOptions, TrainEvent, TrainResult } from "./trainer-options";

/** Format tag of the trainer's resume state (`trainer_state.json`). */
export const TRAINER_STATE_FORMAT = "recurse-trainer/1";

interface TrainerState {
  format: typeof TRAINER_STATE_FORMAT;
  step: number;
  totalSteps: number;
  batchSize: number;
  sampler: SamplerState;
  rng: number[];
  optimizer: { kind: string; meta: Record<string, unknown> };
  ema: { rate: number } | null;
}

/**
 * Deep-supervision training of a recursive reasoner, as the reference `pretrain.py`: each optimizer step takes the
 * next batch, runs one {@link supervisionStep} over the persistent carry, divides the loss by the batch size,
 * steps AdamATan2/AdamW on the network and SignSGD on the puzzle-embedding rows (one warmup+cosine schedule, each
 * with its own base rate) and updates the EMA. It evaluates every `evalEvery` steps (on the EMA weights), writes
 * metrics as JSON lines, and saves an atomic checkpoint (weights by reference names — the EMA copy when EMA is on,
 * as the reference saves — plus the raw weights, optimizer, sampler, RNG and carry for an exact resume). A NaN or
 * infinite loss stops it with {@link TrainingDivergedError}; the last good checkpoint stays. Aborting `signal` stops
 * it between steps with a checkpoint of the step reached, from which a resume continues as if never stopped.
 *
 * @example
 * ```ts
 * const trainer = new Trainer({ reasoner, train, eval: test, batchSize: 64, epochs: 100, seed: 0,
 *   optimizer: { lr: 1e-4, weightDecay: 1 }, puzzleOptimizer: { lr: 1e-4, weightDecay: 1 },
 *   ema: 0.999, evalEvery: 500, checkpointEvery: 500, outDir: "runs/trm" });
 * const result = await trainer.run();
 * // later: const again = new Trainer({ ...sameOptions }); await again.restore("runs/trm/checkpoint"); await again.run();
 * // stoppable: const stop = new AbortController(); process.once("SIGINT", () => stop.abort());
 * //   const r = await new Trainer({ ...options, signal: stop.signal }).run(); // r.stopped === "aborted" after Ctrl-C
 * ```
 */
export class Trainer {
  readonly totalSteps: number;
  private step = 0;
  private readonly sampler: TrainSampler;
  private readonly rng: Rng;
  private readonly optimizer: DenseOptimizer;
  private readonly puzzleOptimizer: SparseSignSGD | null;
  private readonly ema: Ema | null;
  private carry: SupervisionCarry;
  private lastCheckpoint?: string;
  /** Step of `lastCheckpoint`. */
  private savedStep?: number;
  private readonly baseLr: number;
  private readonly puzzleLr: number;
  private readonly warmupSteps: number;
  private readonly minRatio: number;

  constructor(private readonly options: TrainerOptions) {
    const { reasoner, train, batchSize } = options;
    if (options.steps === undefined && options.epochs === undefined) {
      throw new ConfigError("neither steps nor epochs given", { field: "steps", expected: "a number of steps or epochs" });
    }
    this.totalSteps = options.steps ?? stepsForEpochs(options.epochs!, train.metadata, batchSize);
    if (!Number.isInteger(this.totalSteps) || this.totalSteps < 1) {
      throw new ConfigError(`the run has ${this.totalSteps} steps`, { field: "steps", expected: "at least 1 step" });
    }
    this.sampler = new TrainSampler(train, { batchSize, seed: options.seed });
    this.rng = new Rng((options.seed ^ 0x5bd1e995) >>> 0);
    const opt = options.optimizer ?? {};
    this.baseLr = opt.lr ?? 1e-4;
    const params = reasoner.parameters();
    this.optimizer =
      (opt.kind ?? "adam-atan2") === "adamw"
        ? new AdamW(params, { betas: opt.betas, weightDecay: opt.weightDecay, epsilon: opt.epsilon })
        : new AdamATan2(params, { betas: opt.betas, weightDecay: opt.weightDecay });
    this.puzzleLr = options.puzzleOptimizer?.lr ?? 1e-2;
    this.puzzleOptimizer = reasoner.puzzleEmbedding
      ? new SparseSignSGD(reasoner.puzzleEmbedding.table, { weightDecay: options.puzzleOptimizer?.weightDecay })
      : null;
    this.ema = options.ema ? new Ema(params, options.ema) : null;
    this.warmupSteps = options.schedule?.warmupSteps ?? 2000;
    this.minRatio = options.schedule?.minRatio ?? 1;
    this.carry = initialCarry(reasoner, batchSize, train.metadata.seqLen);
  }

  /** Optimizer steps taken so far. */
  get stepsDone(): number {
    return this.step;
  }

  /** Learning rates of a 1-based step: network and puzzle embedding. */
  learningRates(step: number): { lr: number; puzzleLr: number } {
    const sched = { warmupSteps: this.warmupSteps, totalSteps: this.totalSteps, minRatio: this.minRatio };
    return {
      lr: cosineScheduleWithWarmup(step, { ...sched, baseLr: this.baseLr }),
      puzzleLr: cosineScheduleWithWarmup(step, { ...sched, baseLr: this.puzzleLr }),
    };
  }

  /**
   * One optimizer step; returns its metrics. Throws {@link TrainingDivergedError} (before touching the weights)
   * when the loss is not finite.
   */
  trainStep(): SupervisionMetrics {
    const { reasoner } = this.options;
    const step = this.step + 1;
    const { lr, puzzleLr } = this.learningRates(step);
    const batch = this.sampler.next();
    const result = supervisionStep(reasoner, this.carry, batch, {
      training: true,
      rng: this.rng,
      explorationProb: this.options.explorationProb,
    });
    this.carry = result.carry;
    try {
      if (!Number.isFinite(result.metrics.loss)) throw new TrainingDivergedError(step, result.metrics.loss, this.lastCheckpoint);
      this.optimizer.step(result.grads!, lr);
      if (this.puzzleOptimizer && result.puzzleGrad) this.puzzleOptimizer.step(this.carry.data.puzzleIds, result.puzzleGrad, puzzleLr);
    } finally {
      tf.dispose([...result.grads!.values(), result.puzzleGrad]);
    }
    this.ema?.update(reasoner.parameters());
    this.step = step;
    return result.metrics;
  }

  /** Evaluate the eval split (EMA weights when EMA is on). */
  async evaluate(): Promise<EvaluationSummary | undefined> {
    const split = this.options.eval;
    if (!split) return undefined;
    const run = async () => summarizeEvaluation(await evaluate(this.options.reasoner, split, this.options.evalOptions));
    return this.ema ? this.ema.withShadow(this.options.reasoner.parameters(), run) : run();
  }

  /**
   * Train until `totalSteps`, evaluating, logging and checkpointing on the way. When `signal` is aborted it stops
   * before the next step instead: the step in progress (with its evaluation and checkpoint, if due) completes, a
   * checkpoint of the current step is saved and the result says `stopped: "aborted"`.
   */
  async run(): Promise<TrainResult> {
    const { outDir, evalEvery, checkpointEvery, onProgress, signal } = this.options;
    if (outDir) await mkdir(outDir, { recursive: true });
    let lastMetrics: SupervisionMetrics | undefined;
    let lastEval: EvaluationSummary | undefined;
    const started = Date.now();
    const seconds = () => (Date.now() - started) / 1000;
    while (this.step < this.totalSteps) {
      // Only here, between whole steps: a step's evaluation and checkpoint belong to it, so a resume from the
      // checkpoint below replays exactly what the uninterrupted run would do next.
      if (signal?.aborted) {
        const checkpoint = await this.stopEarly();
        return { steps: this.step, lastMetrics, lastEval, checkpoint, stopped: "aborted" };
      }
      const metrics = this.trainStep();
      lastMetrics = metrics;
      const { lr } = this.learningRates(this.step);
      await this.log({ type: "train", step: this.step, epoch: this.sampler.epoch, lr, ...flatten(metrics) });
      this.emit({ type: "step", step: this.step, totalSteps: this.totalSteps, epoch: this.sampler.epoch, lr, metrics, seconds: seconds() });
      const last = this.step === this.totalSteps;
      if (this.options.eval && ((evalEvery && this.step % evalEvery === 0) || last)) {
        lastEval = await this.evaluate();
        await this.log({ type: "eval", step: this.step, ...lastEval });
        this.emit({ type: "eval", step: this.step, summary: lastEval!, seconds: seconds() });
      }
      if (outDir && ((checkpointEvery && this.step % checkpointEvery === 0) || last)) {
        const dir = await this.save(join(outDir, "checkpoint"));
        onProgress?.({ type: "checkpoint", step: this.step, dir });
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return { steps: this.step, lastMetrics, lastEval, checkpoint: this.lastCheckpoint };
  }

  /** The checkpoint of an aborted run (unless the current step already has one), then its `stopped` record. */
  private async stopEarly(): Promise<string | undefined> {
    const { outDir } = this.options;
    if (!outDir) return this.lastCheckpoint;
    const target = join(outDir, "checkpoint");
    if (this.savedStep !== this.step || this.lastCheckpoint !== target) {
      const dir = await this.save(target);
      this.emit({ type: "checkpoint", step: this.step, dir });
    }
    await this.log({ type: "stopped", step: this.step, reason: "aborted", totalSteps: this.totalSteps, checkpoint: this.lastCheckpoint });
    return this.lastCheckpoint;
  }

  /** Save a checkpoint to `dir` (atomically replacing what is there). */
  async save(dir: string): Promise<string> {
    const { reasoner } = this.options;
    const params = reasoner.parameters();
    const model = toNamedTensors(this.ema ? this.ema.shadow : params);
    for (const [name, t] of toNamedTensors(reasoner.buffers())) model.set(name, t);
    const optimizerState = this.optimizer.exportState();
    const tensors: Record<string, Map<string, NamedTensor>> = {
      model,
      optimizer: stateTensors(optimizerState.tensors),
      carry: this.carryTensors(),
    };
    if (this.ema) tensors.train_params = toNamedTensors(params);
    // Never replace the last good checkpoint with weights an overflowing update has already ruined.
    const bad = firstNonFinite(tensors);
    if (bad) throw new TrainingDivergedError(this.step, bad.value, this.lastCheckpoint, `${bad.stem} tensor '${bad.name}'`);
    const state: TrainerState = {
      format: TRAINER_STATE_FORMAT,
      step: this.step,
      totalSteps: this.totalSteps,
      batchSize: this.options.batchSize,
      sampler: this.sampler.getState(),
      rng: this.rng.getState(),
      optimizer: { kind: optimizerState.kind, meta: optimizerState.meta },
      ema: this.ema ? { rate: this.ema.rate } : null,
    };
    const content: CheckpointContent = {
      config: {
        ...this.options.checkpointConfig,
        architecture: reasoner.architecture,
        config: reasoner.config,
        step: this.step,
        weights: this.ema ? "ema" : "raw",
        dataset: this.options.train.metadata,
      },
      tensors,
      state,
    };
    await saveCheckpoint(dir, content);
    this.lastCheckpoint = dir;
    this.savedStep = this.step;
    return dir;
  }

  /**
   * Continue from a checkpoint written by {@link save}: weights, optimizer and EMA state, sampler and RNG, the
   * carry and the step count; `metrics.jsonl` lines after the checkpoint's step are dropped.
   */
  async restore(dir: string): Promise<void> {
    const { reasoner } = this.options;
    const loaded = await loadCheckpoint(dir);
    const state = loaded.state as TrainerState | undefined;
    if (!state || state.format !== TRAINER_STATE_FORMAT) {
      throw new CheckpointError("no trainer state (saved for inference only?)", { file: join(dir, "trainer_state.json"), expected: TRAINER_STATE_FORMAT });
    }
    if (state.batchSize !== this.options.batchSize) {
      throw new CheckpointError(`saved with batch size ${state.batchSize}`, { file: join(dir, "trainer_state.json"), field: "batchSize", expected: String(this.options.batchSize) });
    }
    if (!!state.ema !== !!this.ema) {
      throw new CheckpointError(`saved ${state.ema ? "with" : "without"} EMA`, { file: join(dir, "trainer_state.json"), field: "ema", expected: this.ema ? "an EMA run" : "a run without EMA" });
    }
    // Everything is checked before anything changes, so a refused checkpoint leaves this trainer as it was.
    checkTrainerCheckpoint(loaded, {
      dir,
      format: TRAINER_STATE_FORMAT,
      params: reasoner.parameters(),
      buffers: reasoner.buffers(),
      ema: !!this.ema,
      carry: this.carry,
      numGroups: this.options.train.groupIndices.length - 1,
      vocabSize: this.options.train.metadata.vocabSize,
      numPuzzleIdentifiers: this.options.train.metadata.numPuzzleIdentifiers,
    });
    const t = loaded.tensors;
    const need = (stem: string) => {
      const m = t[stem];
      if (!m) throw new CheckpointError(`missing ${stem}.safetensors`, { file: dir });
      return m;
    };
    const params = reasoner.parameters();
    assignNamed(params, need(this.ema ? "train_params" : "model"), join(dir, this.ema ? "train_params.safetensors" : "model.safetensors"));
    assignNamed(reasoner.buffers(), need("model"), join(dir, "model.safetensors"));
    if (this.ema) {
      const shadow = tensorsFromStored(need("model"));
      this.ema.importState({ kind: "ema", meta: { rate: state.ema!.rate }, tensors: shadow });
      tf.dispose([...shadow.values()]);
    }
    const moments = tensorsFromStored(need("optimizer"));
    this.optimizer.importState({ kind: state.optimizer.kind, meta: state.optimizer.meta, tensors: moments });
    tf.dispose([...moments.values()]);
    this.sampler.setState(state.sampler);
    this.rng.setState(state.rng);
    disposeCarry(this.carry);
    this.carry = this.carryFrom(need("carry"), join(dir, "carry.safetensors"));
    this.step = state.step;
    this.lastCheckpoint = dir;
    this.savedStep = state.step;
    await this.truncateLog(state.step);
  }

  /** Release optimizer and EMA state and the carry (the reasoner stays). */
  dispose(): void {
    this.optimizer.dispose();
    this.ema?.dispose();
    disposeCarry(this.carry);
  }

  private carryTensors(): Map<string, NamedTensor> {
    const c = this.carry;
    const { batchSize: B, seqLen: L } = c.data;
    return new Map<string, NamedTensor>([
      ["y", toNamedTensor(c.state.y)],
      ["z", toNamedTensor(c.state.z)],
      ["steps", { dtype: "I32", shape: [B], data: c.steps.slice() }],
      ["halted", { dtype: "BOOL", shape: [B], data: c.halted.slice() }],
      ["inputs", { dtype: "I32", shape: [B, L], data: c.data.inputs.slice() }],
      ["labels", { dtype: "I32", shape: [B, L], data: c.data.labels.slice() }],
      ["puzzle_ids", { dtype: "I32", shape: [B], data: c.data.puzzleIds.slice() }],
    ]);
  }

  private carryFrom(stored: Map<string, NamedTensor>, file: string): SupervisionCarry {
    const get = (name: string) => {
      const v = stored.get(name);
      if (!v) throw new CheckpointError(`missing tensor '${name}'`, { file, expected: "y, z, steps, halted, inputs, labels, puzzle_ids" });
      return v;
    };
    const ints = (name: string) => Int32Array.from(get(name).data as ArrayLike<number>);
    const [B, L] = get("inputs").shape;
    return {
      state: { y: fromNamedTensor(get("y")) as tf.Tensor3D, z: fromNamedTensor(get("z")) as tf.Tensor3D },
      steps: ints("steps"),
      halted: Uint8Array.from(get("halted").data as ArrayLike<number>),
      data: { inputs: ints("inputs"), labels: ints("labels"), puzzleIds: ints("puzzle_ids"), batchSize: B, seqLen: L },
    };
  }

  private emit(event: TrainEvent): void {
    this.options.onProgress?.(event);
  }

  private async log(record: Record<string, unknown>): Promise<void> {
    if (!this.options.outDir) return;
    await appendFile(join(this.options.outDir, "metrics.jsonl"), JSON.stringify(record) + "\n");
  }

  private async truncateLog(step: number): Promise<void> {
    if (!this.options.outDir) return;
    const file = join(this.options.outDir, "metrics.jsonl");
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      return;
    }
    const kept = text.split("\n").filter((line) => {
      if (!line) return false;
      try {
        return (JSON.parse(line) as { step: number }).step <= step;
      } catch {
        return false; // a line torn by a kill in the middle of an append
      }
    });
    // Atomic: a kill during the rewrite must not lose the log of the run so far.
    await writeFileAtomic(file, kept.map((l) => l + "\n").join(""));
  }
}

/** Metrics as one flat JSON record (reference names where they exist). */
function flatten(m: SupervisionMetrics): Record<string, number> {
  return {
    loss: m.loss,
    lm_loss: m.lmLoss,
    q_halt_loss: m.qHaltLoss,
    q_continue_loss: m.qContinueLoss,
    count: m.count,
    accuracy: m.mean.accuracy,
    exact_accuracy: m.mean.exactAccuracy,
    q_halt_accuracy: m.mean.qHaltAccuracy,
    steps: m.mean.steps,
  };
}
