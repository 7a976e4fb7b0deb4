import { readFile } from "node:fs/promises";
import { DataFormatError } from "@recurse/core";
import { RESULTS_SCHEMA_ID, ResultsSchema, type Results } from "./results-schema";

/**
 * Validate a parsed results.json against {@link ResultsSchema}. Throws a DataFormatError naming the file, the first
 * bad field and what was expected; a results file of another schema version is named as such.
 *
 * @example
 * ```ts
 * const results = parseResults(JSON.parse(text), "results/results.json");
 * ```
 */
export function parseResults(value: unknown, file = "results.json"): Results {
  const schema = (value as { schema?: unknown } | null)?.schema;
  if (typeof schema === "string" && schema !== RESULTS_SCHEMA_ID && schema.startsWith("recurse.results/")) {
    throw new DataFormatError(`unsupported results schema ${JSON.stringify(schema)}`, { file, field: "schema", expected: RESULTS_SCHEMA_ID });
  }
  const parsed = ResultsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
  const more = parsed.error.issues.length - 1;
  throw new DataFormatError(`${issue.message}${more ? ` (and ${more} more issue${more > 1 ? "s" : ""})` : ""}`, {
    file,
    field: field || undefined,
    expected: `a ${RESULTS_SCHEMA_ID} results file`,
  });
}

/**
 * Read and validate a results.json file.
 *
 * @example
 * ```ts
 * const results = await readResults("results/results.json");
 * ```
 */
export async function readResults(file: string): Promise<Results> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new DataFormatError("cannot read the results file", { file, expected: "a results.json written by `recurse eval`" }, { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new DataFormatError(`not JSON: ${(cause as Error).message}`, { file }, { cause });
  }
  return parseResults(value, file);
}

/**
 * results.json text: validated first, so a file that would not read back is never written.
 *
 * @example
 * ```ts
 * await writeFile("results.json", resultsJson(run.results));
 * ```
 */
export function resultsJson(results: Results): string {
  return `${JSON.stringify(parseResults(results), null, 2)}\n`;
}
