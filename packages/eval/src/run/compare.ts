import { ConfigError } from "@recurse/core";
import { defaultEvaluators } from "../plugin";
import { RESULTS_SCHEMA_ID, type DatasetInfo, type ModelInfo, type Results } from "../report/results-schema";
import type { ComparisonRun } from "../report/write-report";
import { evaluateSplit, type EvaluateOptions, type ModelEvaluation } from "./evaluate";
import { parameterCount, slug, type DatasetInput, type ModelInput } from "./inputs";
import { engineInfo, gitRevision, packageVersions } from "./provenance";
import { subsetSplit } from "./subset";

export interface CompareOptions extends EvaluateOptions {
  /** Extra versions to record (the CLI adds its own, the architecture packages'). */
  versions?: Record<string, string>;
  /** Called after each model × dataset, e.g. to print a line. */
  onEntry?: (evaluation: ModelEvaluation) => void;
  /** Called before each model × dataset starts. */
  onStart?: (model: string, dataset: string) => void;
}

function unique(names: string[], what: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new ConfigError(`two ${what}s are named ${JSON.stringify(n)}; names must be unique`, { field: what });
    seen.add(n);
  }
}

/**
 * Evaluate every model on every dataset (each dataset subset once, so all models see the same examples) and
 * gather a results object with provenance: package versions, git revision, engine, date, wall time.
 *
 * @example
 * ```ts
 * const run = await compare(
 *   [{ name: "trm", model: trm }, { name: "hrm", model: hrm }],
 *   [{ name: "sudoku", split: await readPuzzleDataset("data/sudoku", "test") }],
 *   { steps: 16, limit: 1000 },
 * );
 * console.log(resultsTable(run.results));
 * await writeReport("results/", run);
 * ```
 */
export async function compare(models: ModelInput[], datasets: DatasetInput[], options: CompareOptions = {}): Promise<ComparisonRun> {
  unique(models.map((m) => m.name), "model");
  unique(datasets.map((d) => d.name), "dataset");
  const started = performance.now();
  const createdAt = new Date().toISOString();
  const evaluators = options.evaluators ?? defaultEvaluators();
  const subsets = datasets.map((d) => ({ ...d, split: subsetSplit(d.split, options.limit, options.seed ?? 0) }));

  const evaluations: ModelEvaluation[] = [];
  let traced = false;
  for (const m of models) {
    for (const d of subsets) {
      options.onStart?.(m.name, d.name);
      const ev = await evaluateSplit(m, d, { ...options, evaluators });
      traced ||= ev.output.trace !== undefined;
      evaluations.push(ev);
      options.onEntry?.(ev);
    }
  }

  // An artifact file name used by one entry only keeps its bare name (submission.json); otherwise each entry's
  // copy goes under <model>/<dataset>/.
  const uses = new Map<string, number>();
  for (const ev of evaluations) for (const files of Object.values(ev.artifacts)) for (const f of Object.keys(files)) uses.set(f, (uses.get(f) ?? 0) + 1);
  const artifacts: Record<string, unknown> = {};
  for (const ev of evaluations) {
    for (const files of Object.values(ev.artifacts)) {
      for (const [file, value] of Object.entries(files)) {
        const path = uses.get(file) === 1 ? slug(file) : `${slug(ev.entry.model)}/${slug(ev.entry.dataset)}/${slug(file)}`;
        artifacts[path] = value;
        ev.entry.artifacts.push(path);
      }
    }
  }

  const modelInfo: ModelInfo[] = models.map((m) => ({
    name: m.name,
    architecture: m.model.architecture,
    config: JSON.parse(JSON.stringify(m.model.config)),
    parameterCount: parameterCount(m.model),
    ...(m.source ? { source: m.source } : {}),
  }));
  const datasetInfo: DatasetInfo[] = subsets.map((d, i) => {
    const s = d.split;
    return {
      name: d.name,
      kind: s.metadata.recurse?.dataset ?? null,
      ...(d.source ? { source: d.source } : {}),
      ...(d.splitName ? { split: d.splitName } : {}),
      seqLen: s.metadata.seqLen,
      vocabSize: s.metadata.vocabSize,
      examples: s.puzzleIndices[s.puzzleIndices.length - 1],
      puzzles: s.puzzleIdentifiers.length,
      groups: s.groupIndices.length - 1,
      totalExamples: datasets[i].split.puzzleIndices[datasets[i].split.puzzleIndices.length - 1],
    };
  });
  const steps = new Set(evaluations.map((e) => e.entry.steps));
  const results: Results = {
    schema: RESULTS_SCHEMA_ID,
    createdAt,
    wallTimeSeconds: (performance.now() - started) / 1000,
    git: gitRevision(),
    versions: packageVersions(options.versions),
    engine: engineInfo(),
    options: {
      steps: options.steps ?? (steps.size === 1 ? [...steps][0] : null),
      limit: options.limit ?? null,
      seed: options.seed ?? 0,
      batchSize: options.batchSize ?? 256,
      trace: traced,
      evaluators: evaluators.map((e) => e.id),
    },
    models: modelInfo,
    datasets: datasetInfo,
    entries: evaluations.map((e) => e.entry),
  };
  return { results, artifacts };
}
