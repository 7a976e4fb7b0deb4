/**
 * Key under which an evaluator result carries files to write beside `results.json` (file name → JSON value),
 * e.g. ARC's `submission.json`. The report writer writes them and keeps them out of `results.json`.
 */
export const ARTIFACTS_KEY = "artifacts";

/**
 * Split an evaluator result into what goes into results.json and the files it asks to write.
 *
 * @example
 * ```ts
 * splitArtifacts({ "pass@2": 0.4, artifacts: { "submission.json": sub } });
 * // { data: { "pass@2": 0.4 }, artifacts: { "submission.json": sub } }
 * ```
 */
export function splitArtifacts(result: Record<string, unknown>): {
  data: Record<string, unknown>;
  artifacts: Record<string, unknown>;
} {
  const { [ARTIFACTS_KEY]: artifacts, ...data } = result;
  const files = artifacts && typeof artifacts === "object" && !Array.isArray(artifacts) ? (artifacts as Record<string, unknown>) : {};
  return { data, artifacts: files };
}
