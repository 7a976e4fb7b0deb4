/**
 * @recurse/cli: the `recurse` command line as a library. `runCli(argv)` runs a command as the binary would;
 * the pieces (plugin loading, the viewer server, trace files, progress) are exported for tools built on top.
 */
export { runCli } from "./run-cli";
export { createProgram } from "./program";
export { createContext, type CliContext, type Session, type GlobalOptions } from "./context";
export { processIO, type CliIO } from "./io";
export { CliError, formatError } from "./errors";
export { loadPlugins, importPlugin, type LoadedPlugin, type LoadPluginsResult } from "./plugins/load-plugins";
export { readConfigFile, CONFIG_FILE_NAMES, type RecurseConfigFile } from "./plugins/config-file";
export { assertPlugin } from "./plugins/plugin-shape";
export { createProgress, type Progress, type ProgressOptions } from "./progress/progress";
export { startViewer, type ViewerOptions, type ViewerServer } from "./viewer/server";
export { safeFilePath, type SafePathResult } from "./viewer/safe-path";
export { directoryTraceSource, memoryTraceSource, parseTrace, type TraceSource, type TraceSummary } from "./viewer/trace-source";
export { buildTrace, type BuildTraceOptions } from "./trace/build-trace";
export { renderInfoFor, CANONICAL_ARC_PALETTE } from "./trace/render-info";
export { TRACE_SCHEMA, type TraceFile, type TraceExample, type TraceStep, type TraceRender } from "./trace/trace-schema";
