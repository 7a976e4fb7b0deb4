// ARC-AGI-1 + ConceptARC build with N augmentations (default 1000, as both papers): wall time, bytes written,
// identifier and example counts, peak RSS. The build runs in a child process so its peak RSS is its own; the
// output goes to a temporary folder that is deleted afterwards. Needs the shared data folder (or ARC_DATA=DIR
// holding arc-agi-1/ and concept-arc/corpus/); without it the module reports a skip.
// Options: --arc-augmentations N, --arc-keep DIR (build there and keep it).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const name = "arc";

const root = fileURLToPath(new URL("../../", import.meta.url));

function option(args, flag, fallback) {
  const at = args.indexOf(flag);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
}

const child = `
import { buildArcDataset } from "@recurse/datasets-arc";
const [inputs, out, augmentations] = JSON.parse(process.argv[1]);
const report = await buildArcDataset({ inputs, out, augmentations, seed: 42 });
const rssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ report, rssMiB }));
`;

export async function run({ json, args = [] }) {
  const data = process.env.ARC_DATA ?? join(resolve(root, "../shared"), "data");
  const inputs = [join(data, "arc-agi-1"), join(data, "concept-arc", "corpus")];
  if (!inputs.every((p) => existsSync(p))) {
    if (!json) console.log(`arc: skipped, no ARC data under ${data}`);
    return { arc: { skipped: `no ARC data under ${data}` } };
  }
  const augmentations = Number(option(args, "--arc-augmentations", "1000"));
  const keep = option(args, "--arc-keep", undefined);
  const out = keep ?? mkdtempSync(join(tmpdir(), "recurse-arc-bench-"));
  try {
    const started = performance.now();
    const res = spawnSync(process.execPath, ["--input-type=module", "-e", child, JSON.stringify([inputs, out, augmentations])], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 1 << 26,
    });
    if (res.status !== 0) throw new Error(`ARC build failed: ${res.stderr}`);
    const wallSeconds = (performance.now() - started) / 1000;
    const { report, rssMiB } = JSON.parse(res.stdout);
    const figures = {
      augmentations,
      buildSeconds: Number(report.seconds.toFixed(1)),
      wallSeconds: Number(wallSeconds.toFixed(1)),
      bytes: report.bytes,
      gib: Number((report.bytes / 2 ** 30).toFixed(2)),
      peakRssMiB: Math.round(rssMiB),
      numPuzzleIdentifiers: report.numPuzzleIdentifiers,
      puzzles: report.puzzles,
      versions: report.versions,
      shortPuzzles: report.shortPuzzles.length,
      train: report.splits.train,
      test: report.splits.test,
      overlaps: report.overlaps.length,
    };
    if (!json) {
      console.log(`arc: ARC-AGI-1 + ConceptARC, ${augmentations} augmentations, ${figures.buildSeconds} s, ${figures.gib} GiB, peak RSS ${figures.peakRssMiB} MiB`);
      console.log(`arc: ${figures.numPuzzleIdentifiers} identifiers (blank included), ${figures.versions} versions of ${figures.puzzles} puzzles, ${figures.shortPuzzles} with fewer versions`);
      console.log(`arc: train ${JSON.stringify(figures.train)}, test ${JSON.stringify(figures.test)}`);
    }
    return { arc: figures };
  } finally {
    if (!keep) rmSync(out, { recursive: true, force: true });
  }
}
