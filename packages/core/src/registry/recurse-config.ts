import { z } from "zod";
import { ConfigError } from "../errors";
import { didYouMean } from "./did-you-mean";
import { describeIssues, issueExpected, issuePath } from "./zod-issues";

const ENGINES = ["auto", "tfjs-node-gpu", "tfjs-node", "wasm", "cpu"] as const;

const recurseConfigSchema = z
  .object({
    $schema: z.string().optional(),
    /** Plugin specifiers: paths (relative to the config file) or package names; JS configs may give plugin objects. */
    plugins: z
      .array(
        z.union([
          z.string().min(1),
          // Kept as is (not copied), so a plugin object keeps its identity.
          z.custom<Record<string, unknown>>((v) => typeof v === "object" && v !== null && !Array.isArray(v), "expected a path, package name or plugin object"),
        ]),
      )
      .default([]),
    /** Default tensor engine. */
    engine: z.enum(ENGINES).optional(),
  })
  .strict();

/** A validated `recurse.config.{json,js,mjs}` object. */
export type RecurseConfig = z.output<typeof recurseConfigSchema>;

/** Options of {@link parseRecurseConfig}. */
export interface ParseRecurseConfigOptions {
  /** Name of the file, for error messages. */
  file?: string;
  /** Whether plugin objects (not just specifiers) are allowed: true for JS configs, false for JSON. Default false. */
  allowPluginObjects?: boolean;
}

/**
 * Validate a `recurse.config.*` object: `{ plugins?: string[], engine?: "auto" | "wasm" | ..., $schema?: string }`.
 * Unknown keys are refused with a "did you mean", so a typo (`plugin`) does not silently load nothing.
 *
 * @example
 * parseRecurseConfig(JSON.parse(text), { file: "recurse.config.json" }); // { plugins: ["./my-plugin.mjs"] }
 */
export function parseRecurseConfig(value: unknown, options: ParseRecurseConfigOptions = {}): RecurseConfig {
  const file = options.file ?? "recurse.config";
  const parsed = recurseConfigSchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    if (first.code === "unrecognized_keys") {
      const key = first.keys[0];
      const guess = didYouMean(key, Object.keys(recurseConfigSchema.shape));
      throw new ConfigError(`unknown key${guess ? `; did you mean ${JSON.stringify(guess)}?` : ""}`, {
        file,
        field: key,
        expected: "only plugins, engine, $schema",
      });
    }
    throw new ConfigError(describeIssues(parsed.error.issues), { file, field: issuePath(first.path) || undefined, expected: issueExpected(first) });
  }
  if (!options.allowPluginObjects) {
    const i = parsed.data.plugins.findIndex((p) => typeof p !== "string");
    if (i >= 0) throw new ConfigError("plugin objects are only allowed in JavaScript configs", { file, field: `plugins[${i}]`, expected: "a path or package name" });
  }
  return parsed.data;
}
