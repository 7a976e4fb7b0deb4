import type { PuzzleDatasetMetadata } from "@recurse/core";
import type { TraceRender } from "./trace-schema";

/** The canonical ARC palette (colours 0..9), used when the ARC package does not provide one. */
export const CANONICAL_ARC_PALETTE = ["#000000", "#0074D9", "#FF4136", "#2ECC40", "#FFDC00", "#AAAAAA", "#F012BE", "#FF851B", "#7FDBFF", "#870C25"];

const DIGITS = "123456789ABCDEFG";

/**
 * How to draw a dataset's tokens. Sudoku: token 1 is a blank cell, token d+1 digit d (the reference encoding);
 * ARC: 0 pad, 1 end-of-row/column marker, 2..11 colours 0..9; anything else: a near-square grid of token ids.
 */
export function renderInfoFor(kind: string, metadata: PuzzleDatasetMetadata, palette: readonly string[] = CANONICAL_ARC_PALETTE): TraceRender {
  const L = metadata.seqLen;
  const side = Math.round(Math.sqrt(L));
  if (kind === "sudoku" && side * side === L) {
    const box = sudokuBox(side, metadata.recurse);
    const symbols: Record<string, string> = { "0": "", "1": "" };
    for (let d = 1; d <= side; d++) symbols[String(d + 1)] = DIGITS[d - 1] ?? String(d);
    return { kind: "sudoku", rows: side, cols: side, box, symbols, empty: [0, 1] };
  }
  if (kind === "arc" && side * side === L) {
    const colors: Record<string, string> = {};
    const symbols: Record<string, string> = { "0": "", "1": "" };
    palette.forEach((hex, c) => {
      colors[String(c + 2)] = hex;
      symbols[String(c + 2)] = String(c);
    });
    return { kind: "arc", rows: side, cols: side, symbols, colors, empty: [0, 1], crop: true };
  }
  const cols = side * side === L ? side : Math.min(L, 32);
  const symbols: Record<string, string> = {};
  for (let t = 0; t < metadata.vocabSize; t++) symbols[String(t)] = String(t);
  return { kind: "grid", rows: Math.ceil(L / cols), cols, symbols, empty: [metadata.padId] };
}

function sudokuBox(size: number, recurse: PuzzleDatasetMetadata["recurse"]): [number, number] {
  const r = recurse as Record<string, unknown> | undefined;
  const br = Number(r?.boxRows);
  const bc = Number(r?.boxCols);
  if (Number.isInteger(br) && Number.isInteger(bc) && br * bc === size) return [br, bc];
  // Default shape: square boxes where possible, otherwise fewer rows than columns (6×6 → 2×3).
  let rows = Math.floor(Math.sqrt(size));
  while (size % rows !== 0) rows--;
  return [rows, size / rows];
}
