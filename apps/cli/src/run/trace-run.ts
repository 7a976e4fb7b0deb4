import type { CliIO } from "../io";
import type { Session } from "../context";
import type { TraceFile } from "../trace/trace-schema";

export async function traceRunOnTheFly(
  _io: CliIO,
  _session: Session,
  root: string,
  _options: { data?: string; limit: number; split: string },
): Promise<{ traces: Map<string, TraceFile>; message?: string }> {
  return { traces: new Map(), message: `No traces for run ${root} yet.` };
}
