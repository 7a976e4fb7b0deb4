import { existsSync } from "node:fs";
import { evaluate } from "@recurse/core";
import { ARC_PALETTE } from "@recurse/datasets-arc";
import type { Session } from "../context";
import { log, type CliIO } from "../io";
import { buildTrace, slug } from "../trace/build-trace";
import { renderInfoFor } from "../trace/render-info";
import type { TraceFile } from "../trace/trace-schema";
import { datasetDir, detectDatasetKind, readIdentifiers, readSplit } from "./dataset-dir";
import { loadModel } from "./load-model";
import { readRunRecord } from "./run-dir";

/**
 * For `recurse view <run>`: evaluate `limit` examples of the run's dataset (or `--data`) with tracing and return
 * the trace, so a training run can be inspected without a separate `recurse eval`. When the dataset cannot be
 * found, the page shows how to make traces instead.
 */
export async function traceRunOnTheFly(
  io: CliIO,
  session: Session,
  root: string,
  options: { data?: string; limit: number; split: string },
): Promise<{ traces: Map<string, TraceFile>; message?: string }> {
  const record = readRunRecord(root);
  const dataPath = options.data ?? record?.data;
  const howTo = `Make traces with:\n  recurse eval --model ${root} --data DATASET --out results/\nthen: recurse view results/`;
  if (!dataPath || !existsSync(dataPath)) {
    return { traces: new Map(), message: `No dataset to evaluate this run on${dataPath ? ` (${dataPath} is gone)` : ""}; pass --data DIR.\n${howTo}` };
  }
  const { registry } = await session.registry();
  await session.engine();
  const dir = datasetDir(dataPath, io.cwd, options.split);
  const split = await readSplit(dir, options.split);
  const model = await loadModel(registry, root, io.cwd);
  try {
    log(io, `evaluating ${options.limit} ${options.split} examples of ${dir} for the viewer...`);
    const output = await evaluate(model.reasoner, split, { trace: true, limit: options.limit });
    const kind = detectDatasetKind(registry, split.metadata)?.id ?? "unknown";
    const trace = buildTrace(output, {
      model: { name: model.name, run: model.runDir, architecture: model.architecture, preset: model.record?.preset },
      dataset: { name: slug(dir.split("/").pop() ?? "data"), path: dir, kind, split: options.split, metadata: split.metadata },
      render: renderInfoFor(kind, split.metadata, ARC_PALETTE),
      identifiers: await readIdentifiers(dir),
      limit: options.limit,
    });
    return { traces: new Map([[`${slug(trace.model.name)}--${slug(trace.dataset.name)}`, trace]]) };
  } finally {
    model.reasoner.dispose();
  }
}
