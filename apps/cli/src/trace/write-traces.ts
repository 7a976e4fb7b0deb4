import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { evaluate as coreEvaluate, type EvaluationOutput, type PuzzleDatasetSplit, type RecursiveReasoner } from "@recurse/core";
import { buildTrace, slug } from "./build-trace";
import type { TraceFile, TraceRender } from "./trace-schema";

/** What a trace needs besides the evaluation output. */
export interface TraceContext {
  model: TraceFile["model"];
  dataset: Omit<TraceFile["dataset"], "metadata">;
  render: TraceRender;
  identifiers?: string[];
  limit: number;
}

/**
 * The viewer trace of an evaluation. When the evaluation was not traced (too large for `trace: auto`), the first
 * `limit` examples are evaluated again with tracing, so the viewer always gets every supervision step.
 */
export async function traceFromEvaluation(
  reasoner: RecursiveReasoner,
  split: PuzzleDatasetSplit,
  output: EvaluationOutput,
  steps: number,
  ctx: TraceContext,
): Promise<TraceFile> {
  let traced = output;
  if (!output.trace) traced = await coreEvaluate(reasoner, split, { steps, trace: true, limit: ctx.limit });
  return buildTrace(traced, {
    model: ctx.model,
    dataset: { ...ctx.dataset, metadata: split.metadata },
    render: ctx.render,
    identifiers: ctx.identifiers,
    limit: ctx.limit,
  });
}

/** `traces/<model>--<dataset>.json` under `dir`; returns the path. */
export async function writeTrace(dir: string, trace: TraceFile): Promise<string> {
  const tracesDir = join(dir, "traces");
  await mkdir(tracesDir, { recursive: true });
  const file = join(tracesDir, `${slug(trace.model.name)}--${slug(trace.dataset.name)}.json`);
  await writeFile(file, JSON.stringify(trace));
  return file;
}
