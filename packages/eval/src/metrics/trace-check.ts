import { ShapeError, type EvaluationOutput, type SupervisionStepRecord } from "@recurse/core";

/** Check every per-step record has the output's [N, L] and [N] sizes, so a malformed trace fails loudly. */
export function checkedTrace(output: EvaluationOutput): SupervisionStepRecord[] | null {
  const trace = output.trace;
  if (!trace || trace.length === 0) return null;
  const n = output.numExamples;
  const l = output.seqLen;
  trace.forEach((rec, k) => {
    const where = `EvaluationOutput.trace[${k}]`;
    if (rec.predictions.length !== n * l) {
      throw new ShapeError(`${where}.predictions has ${rec.predictions.length} values (expected N*L = ${n}*${l} = ${n * l})`);
    }
    if (rec.qHalt.length !== n) throw new ShapeError(`${where}.qHalt has ${rec.qHalt.length} values (expected N = ${n})`);
    if (rec.qContinue && rec.qContinue.length !== n) {
      throw new ShapeError(`${where}.qContinue has ${rec.qContinue.length} values (expected N = ${n})`);
    }
  });
  return trace;
}

/** Check the final arrays of an output against numExamples and seqLen. */
export function checkOutput(output: EvaluationOutput): void {
  const n = output.numExamples;
  const nl = n * output.seqLen;
  const sizes: [string, number, number][] = [
    ["inputs", output.inputs.length, nl],
    ["labels", output.labels.length, nl],
    ["predictions", output.predictions.length, nl],
    ["puzzleIds", output.puzzleIds.length, n],
    ["qHalt", output.qHalt.length, n],
    ["stepsTaken", output.stepsTaken.length, n],
  ];
  for (const [field, got, want] of sizes) {
    if (got !== want) throw new ShapeError(`EvaluationOutput.${field} has ${got} values (expected ${want} for N=${n}, L=${output.seqLen})`);
  }
}
