import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Option, type Command } from "commander";
import { parseOverrides, recoverInterruptedWrite, Trainer, type TrainEvent } from "@recurse/core";
import type { CliContext } from "../context";
import { CliError } from "../errors";
import { log, println } from "../io";
import { parseInteger, parseNumber } from "../options/parse-number";
import { collect } from "../program";
import { createProgress, type Progress } from "../progress/progress";
import { datasetDir, detectDatasetKind, hasSplit, readSplit } from "../run/dataset-dir";
import { schemaKeys, withDatasetSizes } from "../run/dataset-sizes";
import { gracefulStop, signalExitCode } from "../run/interrupt";
import { readRunRecord, RUN_SCHEMA, writeRunRecord, type RunRecord } from "../run/run-dir";
import { checkModelFlags, trainingForResume, trainingFromFlags, type TrainingFlags } from "../run/run-options";
import { recurseVersions } from "../util/versions";

interface TrainFlags extends TrainingFlags {
  data: string;
  out: string;
  preset?: string;
  set?: string[];
  resume?: boolean;
  json?: boolean;
}

export function registerTrainCommand(program: Command, ctx: CliContext): void {
  program
    .command("train")
    .description("train an architecture on a dataset (deep supervision, halting, checkpoints, metrics.jsonl)")
    .argument("<architecture>", "architecture id (recurse list shows them), e.g. trm")
    .requiredOption("--data <dir>", "dataset directory from recurse data build (its train/ split; test/ is used for evaluation)")
    .requiredOption("--out <run>", "run directory: recurse-run.json, metrics.jsonl, checkpoint/")
    .option("--preset <name>", "architecture preset (default: the architecture's default preset)")
    .option("--set <key=value>", "override a config key (repeatable), e.g. --set hiddenSize=64 --set cycles=2", collect)
    .option("--resume", "continue the run in --out from its last checkpoint, with the options in its recurse-run.json")
    .addOption(new Option("--steps <n>", "optimizer steps").argParser(parseInteger("--steps", 1)).conflicts("epochs"))
    .addOption(new Option("--epochs <n>", "epochs, converted to steps as the reference does").argParser(parseNumber("--epochs", 0)))
    .option("--eval-every <k>", "evaluate on the test split every k steps (and at the end)", parseInteger("--eval-every", 0))
    .option("--eval-limit <k>", "examples of the test split evaluated during training (default: 1000; 0: all)", parseInteger("--eval-limit", 0))
    .option("--checkpoint-every <k>", "save a checkpoint every k steps (and at the end)", parseInteger("--checkpoint-every", 0))
    .option("--seed <s>", "seed of initialisation, sampling and exploration", parseInteger("--seed", 0), 0)
    .option("--batch-size <n>", "global batch size (the papers use 768)", parseInteger("--batch-size", 1), 64)
    .option("--lr <x>", "learning rate (reference 1e-4)", parseNumber("--lr", 0), 1e-4)
    .option("--puzzle-lr <x>", "puzzle-embedding learning rate (reference 1e-2 ARC, 1e-4 Sudoku)", parseNumber("--puzzle-lr", 0), 1e-2)
    .option("--weight-decay <x>", "weight decay (reference 1.0 Sudoku/Maze, 0.1 ARC)", parseNumber("--weight-decay", 0), 0.1)
    .addOption(new Option("--optimizer <kind>", "optimizer").choices(["adam-atan2", "adamw"]).default("adam-atan2"))
    .option("--warmup <n>", "learning-rate warmup steps (default: min(2000, 10% of the steps))", parseInteger("--warmup", 0))
    .option("--min-lr-ratio <x>", "cosine decay floor as a fraction of --lr (1: constant, the reference)", parseNumber("--min-lr-ratio", 0, 1), 1)
    .option("--ema <rate>", "keep an EMA of the weights (TRM uses 0.999); checkpoints and evaluation use it", parseNumber("--ema", 0, 1))
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      `
Examples:
  $ recurse train trm --data data/sudoku4 --preset tiny --steps 300 --lr 1e-3 --out runs/trm-tiny
  $ recurse train trm --data data/sudoku6 --preset sudoku6-mlp --set hiddenSize=128 --epochs 100 --eval-every 500 --out runs/trm6
  $ recurse train trm --data data/sudoku6 --out runs/trm6 --resume --steps 20000
  $ recurse --plugin ./examples/custom-reasoner train grr --data data/sudoku4 --steps 100 --out runs/grr

vocabSize, seqLen and numPuzzleIdentifiers come from the dataset; every other key is validated by the
architecture's schema (unknown keys are named, with a suggestion). recurse-run.json records every option, so
--resume continues the run exactly with nothing repeated; a flag given again must agree with the record (a bigger
--steps or --epochs extends the run). Ctrl-C (or SIGTERM) stops after the current step and saves a checkpoint,
then prints the command that continues the run (exit status 130; 143 for SIGTERM); a second Ctrl-C quits at
once, keeping the last checkpoint.`,
    )
    .action(async (architecture: string, flags: TrainFlags, cmd: Command) => {
      const session = ctx.session(cmd);
      const { registry } = await session.registry();
      const runDir = resolve(ctx.io.cwd, flags.out);
      const previous = existsSync(runDir) ? readRunRecord(runDir) : undefined;
      const checkpointDir = join(runDir, "checkpoint");
      // A hard kill between the two renames of a checkpoint save leaves the previous checkpoint set aside: put it back.
      if (existsSync(runDir)) await recoverInterruptedWrite(checkpointDir);
      if (flags.resume && !existsSync(join(checkpointDir, "manifest.json"))) {
        throw new CliError(`--resume: ${flags.out} has no checkpoint to resume (start it without --resume)`);
      }
      if (!flags.resume && existsSync(join(checkpointDir, "manifest.json"))) {
        throw new CliError(`${flags.out} already holds a run; pass --resume to continue it, or choose another --out`);
      }
      if (flags.resume && previous && previous.architecture !== architecture) {
        throw new CliError(`--resume: ${flags.out} trains '${previous.architecture}', not '${architecture}'`);
      }
      if (flags.resume && previous) checkModelFlags(previous, { preset: flags.preset, overrides: flags.set && parseOverrides(flags.set) }, flags.out);
      const spec = registry.architectures.get(architecture);
      const dataDir = datasetDir(flags.data, ctx.io.cwd, "train");
      await session.engine();
      const train = await readSplit(dataDir, "train");
      const test = hasSplit(dataDir, "test") ? await readSplit(dataDir, "test") : undefined;
      const kind = detectDatasetKind(registry, train.metadata);

      // On resume the record rebuilds the same model and trains it the same way; a flag that says otherwise is refused.
      const resuming = flags.resume ? previous : undefined;
      const given = (attr: string) => cmd.getOptionValueSource(attr) === "cli";
      const preset = resuming ? resuming.preset : (flags.preset ?? spec.defaultPreset);
      const userOverrides = resuming ? resuming.overrides : parseOverrides(flags.set ?? []);
      const training = resuming
        ? trainingForResume(resuming.training, flags, given, train.metadata, flags.out)
        : trainingFromFlags(flags, train.metadata);
      const overrides = withDatasetSizes(spec.schema, userOverrides, train.metadata, dataDir);
      // --seed seeds the initialisation too, unless a --set seed=... says otherwise.
      if (schemaKeys(spec.schema).includes("seed") && !("seed" in userOverrides)) overrides.seed = training.seed;
      const config = registry.architectures.resolveConfig(architecture, { preset, overrides });
      const reasoner = spec.create(config);

      await mkdir(runDir, { recursive: true });
      const record: RunRecord = {
        schema: RUN_SCHEMA,
        createdAt: previous?.createdAt ?? new Date().toISOString(),
        architecture,
        preset,
        overrides: userOverrides,
        config,
        data: dataDir,
        datasetKind: kind?.id ?? null,
        training,
        versions: recurseVersions(),
      };
      await writeRunRecord(runDir, record);

      let progress: Progress | undefined;
      let lastEval = "";
      function onEvent(event: TrainEvent): void {
        if (event.type === "step") {
          const m = event.metrics;
          const batch = Math.max(training.batchSize, 1);
          progress?.update(event.step, `loss ${(m.loss / batch).toFixed(3)} acc ${m.mean.accuracy.toFixed(3)} exact ${m.mean.exactAccuracy.toFixed(3)}${lastEval}`);
        } else if (event.type === "eval") {
          const s = event.summary;
          lastEval = ` | eval exact ${s.exactAccuracy.toFixed(3)}`;
          if (!ctx.io.isTTY) log(ctx.io, `eval @ step ${event.step}: exact ${s.exactAccuracy.toFixed(4)} token ${s.accuracy.toFixed(4)} steps ${s.meanSteps.toFixed(2)} (${s.numExamples} examples)`);
        }
      }
      const resume = resumeCommand(cmd, architecture, flags);
      // First Ctrl-C/SIGTERM: finish the step, checkpoint it, say how to go on. Second: quit now (saves are atomic).
      const nl = ctx.io.isTTY ? "\n" : ""; // off the progress bar's line
      const stop = gracefulStop({
        onStop: (signal) => log(ctx.io, `${nl}${signal}: stopping after the current step and saving a checkpoint (Ctrl-C again quits at once)`),
        onForce: (signal) => {
          progress?.stop();
          log(ctx.io, `${nl}${signal} again: quitting now; the last checkpoint in ${join(flags.out, "checkpoint")} is intact: continue with\n  ${resume}`);
        },
      });
      const trainer = new Trainer({
        reasoner,
        train,
        eval: test,
        batchSize: training.batchSize,
        steps: training.steps,
        seed: training.seed,
        optimizer: { kind: training.optimizer, lr: training.lr, weightDecay: training.weightDecay },
        puzzleOptimizer: { lr: training.puzzleLr },
        schedule: { warmupSteps: training.warmupSteps, minRatio: training.minLrRatio },
        ema: training.ema,
        evalEvery: training.evalEvery,
        evalOptions: { limit: training.evalLimit ?? undefined, batchSize: Math.max(64, training.batchSize) },
        checkpointEvery: training.checkpointEvery,
        outDir: runDir,
        checkpointConfig: { preset, data: dataDir, datasetKind: kind?.id ?? null, versions: record.versions },
        onProgress: (event) => onEvent(event),
        signal: stop.signal,
      });
      const started = Date.now();
      try {
        if (flags.resume) {
          await trainer.restore(checkpointDir);
          log(ctx.io, `resuming ${flags.out} at step ${trainer.stepsDone} of ${trainer.totalSteps}`);
        }
        const parameters = [...reasoner.parameters().values()].reduce((n, v) => n + v.size, 0);
        log(ctx.io, `training ${architecture} (preset ${preset}, ${parameters.toLocaleString("en-US")} parameters) on ${dataDir}: ${train.inputs.length / train.metadata.seqLen} examples, ${trainer.totalSteps} steps, batch ${training.batchSize}`);

        const bar = createProgress(ctx.io, { label: "train", total: trainer.totalSteps, unit: "steps" });
        progress = bar;
        const result = await trainer.run();
        bar.stop();
        const summary = {
          run: runDir,
          architecture,
          preset,
          parameters,
          steps: result.steps,
          totalSteps: trainer.totalSteps,
          seconds: (Date.now() - started) / 1000,
          checkpoint: result.checkpoint,
          lastMetrics: result.lastMetrics,
          lastEval: result.lastEval,
          ...(result.stopped ? { stopped: result.stopped, signal: stop.received, resume } : {}),
        };
        // Stopped by a signal: end with its status (130 for Ctrl-C), as an interrupted command does.
        if (result.stopped) ctx.exitCode = signalExitCode(stop.received ?? "SIGINT");
        if (flags.json) println(ctx.io, JSON.stringify(summary, null, 2));
        else if (result.stopped) {
          println(ctx.io, `stopped ${architecture} at step ${summary.steps} of ${summary.totalSteps} after ${summary.seconds.toFixed(1)}s; checkpoint ${summary.checkpoint ?? "(none)"}`);
          println(ctx.io, `continue with:\n  ${resume}`);
        } else {
          println(ctx.io, `trained ${architecture} for ${summary.steps} steps in ${summary.seconds.toFixed(1)}s; checkpoint ${summary.checkpoint ?? "(none)"}`);
          if (summary.lastEval) {
            const e = summary.lastEval;
            println(ctx.io, `test: exact accuracy ${e.exactAccuracy.toFixed(4)}, token accuracy ${e.accuracy.toFixed(4)}, mean steps ${e.meanSteps.toFixed(2)} (${e.numExamples} examples)`);
          }
        }
      } finally {
        stop.dispose();
        trainer.dispose();
        reasoner.dispose();
      }
    });
}

/**
 * The command line that continues this run: `recurse [global options] train <architecture> --data D --out RUN
 * --resume`. Every training option comes back from the run record; the global options given (the engine, plugins
 * that define the architecture) are repeated.
 */
function resumeCommand(cmd: Command, architecture: string, flags: TrainFlags): string {
  let root = cmd;
  while (root.parent) root = root.parent;
  const globals: string[] = [];
  if (root.getOptionValueSource("engine") === "cli") globals.push("--engine", String(root.getOptionValue("engine")));
  for (const plugin of (root.getOptionValue("plugin") as string[] | undefined) ?? []) globals.push("--plugin", plugin);
  const args = [...globals, "train", architecture, "--data", flags.data, "--out", flags.out, "--resume"];
  return ["recurse", ...args].map(shellQuote).join(" ");
}

/** Quote `arg` for a POSIX shell when it needs it, so the printed command can be pasted back as is. */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
