import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TRACE_SCHEMA, type TraceFile } from "../trace/trace-schema";

/** What the viewer lists for one trace. */
export interface TraceSummary {
  id: string;
  model: string;
  dataset: string;
  kind: string;
  examples: number;
  numSteps: number;
  finalAccuracy: number | null;
}

/** Where the viewer gets its traces: files in `<dir>/traces/`, or traces made in memory for a run. */
export interface TraceSource {
  list(): TraceSummary[];
  get(id: string): TraceFile | undefined;
  /** Shown on the page when there is nothing to view. */
  message?: string;
}

const ID = /^[A-Za-z0-9._-]+$/;

function summary(id: string, t: TraceFile): TraceSummary {
  return {
    id,
    model: t.model.name,
    dataset: t.dataset.name,
    kind: t.render.kind,
    examples: t.examples.length,
    numSteps: t.numSteps,
    finalAccuracy: t.stepAccuracy.length ? t.stepAccuracy[t.stepAccuracy.length - 1] : null,
  };
}

/** Read `trace` JSON text, checking it is a recurse.trace/1 file. */
export function parseTrace(text: string, file: string): TraceFile {
  const t = JSON.parse(text) as TraceFile;
  if (t?.schema !== TRACE_SCHEMA) throw new Error(`${file}: schema is '${String(t?.schema)}', expected '${TRACE_SCHEMA}'`);
  return t;
}

/** Traces in `<dir>/traces/*.json`, re-read on every listing so a running eval's new files appear. */
export function directoryTraceSource(dir: string, message?: string): TraceSource {
  const tracesDir = join(dir, "traces");
  const ids = (): string[] =>
    existsSync(tracesDir)
      ? readdirSync(tracesDir)
          .filter((f) => f.endsWith(".json"))
          .map((f) => f.slice(0, -5))
          .filter((id) => ID.test(id))
          .sort()
      : [];
  const read = (id: string): TraceFile | undefined => {
    if (!ID.test(id) || !ids().includes(id)) return undefined;
    const file = join(tracesDir, `${id}.json`);
    try {
      return parseTrace(readFileSync(file, "utf8"), file);
    } catch {
      return undefined;
    }
  };
  return {
    list: () => ids().flatMap((id) => {
      const t = read(id);
      return t ? [summary(id, t)] : [];
    }),
    get: read,
    message,
  };
}

/** Traces held in memory (made on the fly for a training run). */
export function memoryTraceSource(traces: Map<string, TraceFile>, message?: string): TraceSource {
  return {
    list: () => [...traces].map(([id, t]) => summary(id, t)),
    get: (id) => traces.get(id),
    message,
  };
}
