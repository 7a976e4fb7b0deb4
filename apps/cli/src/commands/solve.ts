import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { ConfigError, noGrad, segment, tf, type DatasetSpec, type PuzzleDatasetMetadata, type ReasonerState } from "@recurse/core";
import type { CliContext } from "../context";
import { CliError } from "../errors";
import { println } from "../io";
import { parseInteger } from "../options/parse-number";
import { detectDatasetKind } from "../run/dataset-dir";
import { loadModel } from "../run/load-model";

interface SolveFlags {
  model: string;
  puzzle?: string;
  puzzleFile?: string;
  steps?: number;
  json?: boolean;
  color: boolean;
}

/** One refinement step of `recurse solve`. */
export interface SolveStep {
  step: number;
  qHalt: number;
  /** P(halt) = σ(q_halt). */
  haltProbability: number;
  qContinue?: number;
  /** Predicted tokens, [L]. */
  prediction: number[];
  /** Cells whose token changed since the previous step. */
  changed: number;
  rendered: string;
}

export function registerSolveCommand(program: Command, ctx: CliContext): void {
  program
    .command("solve")
    .description("solve one typed puzzle, printing the answer after every supervision step with q_halt")
    .requiredOption("--model <run>", "run directory from recurse train")
    .option("--puzzle <text>", "the puzzle, as the dataset kind parses it (Sudoku: 81 characters, '.' or 0 for blanks; ARC: a JSON grid)")
    .option("--puzzle-file <file>", "read the puzzle from a file instead")
    .option("--steps <n>", "supervision steps (default: the model's halting.maxSteps)", parseInteger("--steps", 1))
    .option("--no-color", "plain text, no ANSI colours")
    .option("--json", "print the steps as JSON")
    .addHelpText(
      "after",
      `
Examples:
  $ recurse solve --model runs/trm-sudoku --puzzle "..3.2.6..9..3.5..1..18.64....81.29..7.......8..67.82....26.95..8..2.3..9..5.1.3.."
  $ recurse solve --model runs/trm-sudoku4 --puzzle "1..4.41...4.4..1" --steps 8
  $ recurse solve --model runs/trm-arc --puzzle-file task-input.json --json

The first step at which q_halt > 0 is where the model would stop (p(halt) = sigmoid(q_halt) > 0.5).`,
    )
    .action(async (flags: SolveFlags, cmd: Command) => {
      if (!flags.puzzle === !flags.puzzleFile) throw new CliError("give the puzzle with --puzzle \"...\" or --puzzle-file FILE (one of them)");
      const text = flags.puzzle ?? readFileSync(resolve(ctx.io.cwd, flags.puzzleFile!), "utf8");
      const session = ctx.session(cmd);
      const { registry } = await session.registry();
      await session.engine();
      const m = await loadModel(registry, flags.model, ctx.io.cwd);
      try {
        const metadata = m.trainMetadata;
        if (!metadata) throw new ConfigError("the checkpoint records no dataset metadata", { file: m.checkpointDir, field: "dataset" });
        const kind = (m.record?.datasetKind && registry.datasets.has(m.record.datasetKind) ? registry.datasets.get(m.record.datasetKind) : undefined) ?? detectDatasetKind(registry, metadata);
        if (!kind) throw new CliError(`no registered dataset kind recognises the data ${m.name} was trained on; load its plugin with --plugin`);
        if (!kind.parsePuzzle) throw new CliError(`dataset kind '${kind.id}' cannot parse typed puzzles`);
        const inputs = kind.parsePuzzle(text, metadata);
        if (inputs.length !== metadata.seqLen) {
          throw new ConfigError(`the puzzle has ${inputs.length} cells`, { field: "puzzle", expected: `${metadata.seqLen} (the size ${m.name} was trained on)` });
        }
        const steps = flags.steps ?? m.reasoner.halting.maxSteps;
        const color = flags.color && ctx.io.isTTY && !flags.json;
        const records: SolveStep[] = [];
        if (!flags.json) {
          println(ctx.io, `puzzle (${kind.id}, ${m.name}):`);
          println(ctx.io, kind.render(inputs, metadata, { color }));
        }
        let haltedAt: number | null = null;
        for await (const s of refine(m.reasoner, inputs, steps, kind, metadata, color)) {
          records.push(s);
          if (haltedAt === null && s.qHalt > 0) haltedAt = s.step;
          if (!flags.json) {
            const note = s.step === haltedAt ? "  <- would halt here" : "";
            println(ctx.io, "");
            println(ctx.io, `step ${s.step}/${steps}  q_halt ${s.qHalt.toFixed(3)}  p(halt) ${s.haltProbability.toFixed(3)}  ${s.step === 1 ? "" : `${s.changed} cell(s) changed`}${note}`);
            println(ctx.io, s.rendered);
          }
        }
        const answerStep = haltedAt ?? steps;
        if (flags.json) {
          println(ctx.io, JSON.stringify({ model: m.name, dataset: kind.id, inputs: Array.from(inputs), steps: records, haltedAt, answer: records[answerStep - 1].prediction }, null, 2));
        } else {
          println(ctx.io, "");
          println(ctx.io, haltedAt ? `answer: step ${haltedAt}, where q_halt first turned positive` : `answer: step ${steps} (q_halt never turned positive)`);
        }
      } finally {
        m.reasoner.dispose();
      }
    });
}

/** Run supervision steps on one puzzle (blank puzzle identifier), yielding each step's answer as it is computed. */
async function* refine(
  reasoner: import("@recurse/core").RecursiveReasoner,
  inputs: Int32Array,
  steps: number,
  kind: DatasetSpec<any>,
  metadata: PuzzleDatasetMetadata,
  color: boolean,
): AsyncGenerator<SolveStep> {
  const L = inputs.length;
  const pe = reasoner.puzzleEmbedding;
  const x = tf.tidy(() => {
    const ids = tf.tensor1d([metadata.blankIdentifierId], "int32");
    const rows = pe ? (tf.gather(pe.table, ids) as tf.Tensor2D) : null;
    return reasoner.embed(tf.tensor2d(inputs, [1, L], "int32"), rows); // [1, P+L, D]
  });
  let state: ReasonerState = reasoner.initialState(1);
  let previous: Int32Array | undefined;
  try {
    for (let step = 1; step <= steps; step++) {
      const result = noGrad(() => segment(reasoner, x, state, { training: false }));
      tf.dispose([state.y, state.z]);
      state = result.state;
      const { logits, halt, continue: cont } = result.readout;
      const preds = tf.tidy(() => tf.argMax(logits, -1)); // [1, L]
      const prediction = Int32Array.from(await preds.data());
      const qHalt = (await halt.data())[0];
      const qContinue = cont ? (await cont.data())[0] : undefined;
      tf.dispose([preds, logits, halt, cont]);
      let changed = 0;
      if (previous) for (let i = 0; i < L; i++) changed += prediction[i] !== previous[i] ? 1 : 0;
      previous = prediction;
      yield {
        step,
        qHalt,
        haltProbability: 1 / (1 + Math.exp(-qHalt)),
        ...(qContinue === undefined ? {} : { qContinue }),
        prediction: Array.from(prediction),
        changed,
        rendered: kind.render(prediction, metadata, { color }),
      };
    }
  } finally {
    tf.dispose([x, state.y, state.z]);
  }
}
