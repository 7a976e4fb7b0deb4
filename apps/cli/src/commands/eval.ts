import { basename, relative, resolve } from "node:path";
import type { Command } from "commander";
import { ConfigError, type EvaluatorSpec, type PuzzleDatasetMetadata, type Registry } from "@recurse/core";
import { arcVotingEvaluator, compare, resultsTable, writeReport, type DatasetInput, type ModelEvaluation, type ModelInput } from "@recurse/eval";
import { ARC_PALETTE, arcPredictionInverter } from "@recurse/datasets-arc";
import type { CliContext } from "../context";
import { log, println } from "../io";
import { parseInteger } from "../options/parse-number";
import { collect } from "../program";
import { createProgress, type Progress } from "../progress/progress";
import { datasetDir, detectDatasetKind, readIdentifiers, readSplit } from "../run/dataset-dir";
import { loadModel, type LoadedModel } from "../run/load-model";
import { renderInfoFor } from "../trace/render-info";
import type { TraceFile } from "../trace/trace-schema";
import { traceFromEvaluation, writeTrace } from "../trace/write-traces";
import { recurseVersions } from "../util/versions";

interface EvalFlags {
  model: string[];
  data: string[];
  out: string;
  split: string;
  steps?: number;
  limit?: number;
  seed: number;
  batchSize: number;
  traceLimit: number;
  trace: boolean;
  json?: boolean;
}

export function registerEvalCommand(program: Command, ctx: CliContext): void {
  program
    .command("eval")
    .description("evaluate one or more trained models on one or more datasets; write results.json, results.md, report.html and viewer traces")
    .requiredOption("--model <run>", "run directory from recurse train (repeatable)", collect)
    .requiredOption("--data <dir>", "dataset directory (repeatable); its --split is evaluated", collect)
    .requiredOption("--out <dir>", "report directory")
    .option("--split <name>", "dataset split to evaluate", "test")
    .option("--steps <n>", "supervision steps per example (default: each model's halting.maxSteps)", parseInteger("--steps", 1))
    .option("--limit <k>", "evaluate a seeded subset of k puzzle groups per dataset (the same for every model)", parseInteger("--limit", 1))
    .option("--seed <s>", "seed of the --limit subset", parseInteger("--seed", 0), 0)
    .option("--batch-size <n>", "examples per forward pass", parseInteger("--batch-size", 1), 256)
    .option("--trace-limit <n>", "examples per model × dataset kept in the viewer traces (traces/<model>--<dataset>.json)", parseInteger("--trace-limit", 0), 50)
    .option("--no-trace", "write no viewer traces")
    .option("--json", "print results.json to stdout instead of the table")
    .addHelpText(
      "after",
      `
Examples:
  $ recurse eval --model runs/trm-tiny --data data/sudoku4 --out results/
  $ recurse eval --model runs/trm --model runs/hrm --data data/sudoku6 --data data/sudoku9 --steps 16 --limit 500 --out results/
  $ recurse eval --model runs/trm-arc --data data/arc1 --out results/arc      # ARC: voting, pass@k, submission.json
  $ recurse view results/                                                     # browse the traces

Every model sees the same examples. The terminal table shows the headline metrics; results.md and report.html
have all of them, with per-step accuracy curves.`,
    )
    .action(async (flags: EvalFlags, cmd: Command) => {
      const session = ctx.session(cmd);
      const { registry } = await session.registry();
      await session.engine();
      const out = resolve(ctx.io.cwd, flags.out);

      const datasets: (DatasetInput & { kind: string | null; path: string })[] = [];
      for (const path of flags.data) {
        const dir = datasetDir(path, ctx.io.cwd, flags.split);
        const split = await readSplit(dir, flags.split);
        const kind = detectDatasetKind(registry, split.metadata)?.id ?? null;
        datasets.push({ name: uniqueName(basename(dir), datasets.map((d) => d.name)), split, identifiers: await readIdentifiers(dir), source: dir, splitName: flags.split, kind, path: dir });
      }
      const loaded: LoadedModel[] = [];
      try {
        for (const path of flags.model) {
          const m = await loadModel(registry, path, ctx.io.cwd);
          loaded.push(m);
          for (const d of datasets) assertCompatible(m, d.name, d.split.metadata);
        }
        const names: string[] = [];
        const models: ModelInput[] = loaded.map((m) => {
          const name = uniqueName(m.name, names, relative(ctx.io.cwd, m.runDir));
          names.push(name);
          return { name, model: m.reasoner, source: m.checkpointDir };
        });

        const traces: TraceFile[] = [];
        const finished: ModelEvaluation[] = [];
        let bar: Progress | undefined;
        const run = await compare(models, datasets, {
          steps: flags.steps,
          limit: flags.limit,
          seed: flags.seed,
          batchSize: flags.batchSize,
          evaluators: evaluatorsFor(registry),
          versions: Object.fromEntries(Object.entries(recurseVersions()).filter((e): e is [string, string] => e[1] !== null)),
          onStart: (model, dataset) => {
            bar = createProgress(ctx.io, { label: `${model} × ${dataset}`, total: 1, unit: "examples" });
          },
          onProgress: (done, total) => {
            bar?.setTotal(total);
            bar?.update(done);
          },
          onEntry: (ev) => {
            const exact = ev.entry.metrics.exact_accuracy;
            bar?.stop(`${ev.entry.model} × ${ev.entry.dataset}: ${ev.entry.examples} examples, exact accuracy ${typeof exact === "number" ? exact.toFixed(4) : "?"}`);
            finished.push(ev);
          },
        });
        // Traces after the comparison, one at a time (an untraced evaluation is re-run on the first examples).
        if (flags.trace && flags.traceLimit > 0) {
          for (const ev of finished) {
            const model = loaded[models.findIndex((m) => m.name === ev.entry.model)];
            const d = datasets.find((x) => x.name === ev.entry.dataset)!;
            traces.push(
              await traceFromEvaluation(model.reasoner, ev.split, ev.output, ev.entry.steps, {
                model: { name: ev.entry.model, run: model.runDir, architecture: model.architecture, preset: model.record?.preset },
                dataset: { name: d.name, path: d.path, kind: d.kind ?? "unknown", split: flags.split },
                render: renderInfoFor(d.kind ?? "", ev.split.metadata, ARC_PALETTE),
                identifiers: d.identifiers,
                limit: flags.traceLimit,
              }),
            );
          }
        }
        const files = await writeReport(out, run);
        for (const t of traces) await writeTrace(out, t);
        if (flags.json) println(ctx.io, JSON.stringify(run.results, null, 2));
        else {
          println(ctx.io, resultsTable(run.results));
          println(ctx.io, "");
          println(ctx.io, `wrote ${relative(ctx.io.cwd, files.resultsJson) || files.resultsJson}, results.md, report.html${files.artifacts.length ? `, ${files.artifacts.length} artifact(s)` : ""}${traces.length ? ` and ${traces.length} trace(s)` : ""} to ${out}`);
          if (traces.length) log(ctx.io, `browse them with: recurse view ${flags.out}`);
        }
      } finally {
        for (const m of loaded) m.reasoner.dispose();
      }
    });
}

/** The registry's evaluators, plus ARC voting wired with the ARC package's inverse augmentation. */
function evaluatorsFor(registry: Registry): EvaluatorSpec[] {
  const list = registry.evaluators.list();
  if (!registry.evaluators.has("arc-voting")) list.push(arcVotingEvaluator({ inverter: arcPredictionInverter }));
  return list;
}

/** The dataset-dependent sizes of a model must fit the dataset it is evaluated on. */
function assertCompatible(m: LoadedModel, dataset: string, meta: PuzzleDatasetMetadata): void {
  const c = m.config as { seqLen?: number; vocabSize?: number; numPuzzleIdentifiers?: number };
  const bad = (field: string, have: number, need: string) =>
    new ConfigError(`model ${m.name} has ${field} ${have} but dataset ${dataset} needs ${need}`, { file: m.checkpointDir, field });
  if (typeof c.seqLen === "number" && c.seqLen !== meta.seqLen) throw bad("seqLen", c.seqLen, String(meta.seqLen));
  if (typeof c.vocabSize === "number" && c.vocabSize < meta.vocabSize) throw bad("vocabSize", c.vocabSize, `at least ${meta.vocabSize}`);
  if (m.reasoner.puzzleEmbedding && typeof c.numPuzzleIdentifiers === "number" && c.numPuzzleIdentifiers < meta.numPuzzleIdentifiers) {
    throw bad("numPuzzleIdentifiers", c.numPuzzleIdentifiers, `at least ${meta.numPuzzleIdentifiers} (puzzle ids it was not trained on)`);
  }
}

/** `name`, or a longer form when it is already taken (two runs both called `run`). */
function uniqueName(name: string, taken: string[], longer?: string): string {
  if (!taken.includes(name)) return name;
  if (longer && !taken.includes(longer)) return longer;
  for (let k = 2; ; k++) if (!taken.includes(`${name}-${k}`)) return `${name}-${k}`;
}
