import { defineConfig } from "vitest/config";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Tests import sibling packages from source, so a change is tested without a rebuild; the CLI's end-to-end tests
// run the built binary, which is why `npm test` builds first. The aliases are tsconfig.test.json's paths (which
// type-checks the tests), so both resolve `@recurse/*` the same way.
const { compilerOptions } = JSON.parse(readFileSync(here("./tsconfig.test.json"), "utf8")) as { compilerOptions: { paths: Record<string, string[]> } };
const alias = Object.fromEntries(Object.entries(compilerOptions.paths).map(([name, [path]]) => [name, here(path)]));

const project = (name: string, dir: string) => ({
  extends: true as const,
  test: { name, include: [`${dir}/test/**/*.test.ts`] },
});

export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    reporters: ["default", "./test-support/summary-reporter.ts"],
    projects: [
      project("core", "packages/core"),
      project("trm", "packages/trm"),
      project("hrm", "packages/hrm"),
      project("datasets-sudoku", "packages/datasets-sudoku"),
      project("datasets-arc", "packages/datasets-arc"),
      project("eval", "packages/eval"),
      project("cli", "apps/cli"),
      project("examples", "examples/*"),
      { extends: true as const, test: { name: "repo", include: ["test/**/*.test.ts"] } },
    ],
  },
});
