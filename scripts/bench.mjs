// `npm run bench [-- --json] [-- --only NAME]`: runs every module in scripts/bench/ in name order. Each module
// exports `name` and `run({ json })`, returning an object of figures; with --json the figures are merged into one
// JSON object on stdout, otherwise each module prints its own lines. Benchmarks measure; they never pass or fail.
import { readdir } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";

const args = process.argv.slice(2);
const json = args.includes("--json");
const onlyAt = args.indexOf("--only");
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
const dir = fileURLToPath(new URL("./bench/", import.meta.url));
const files = (await readdir(dir)).filter((f) => f.endsWith(".mjs")).sort();
const merged = {};
for (const file of files) {
  const mod = await import(pathToFileURL(join(dir, file)).href);
  if (only && mod.name !== only) continue;
  if (!json) console.log(`\n== ${mod.name}`);
  Object.assign(merged, await mod.run({ json, args }));
}
if (json) console.log(JSON.stringify(merged));
