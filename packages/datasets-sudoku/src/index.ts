/**
 * @recurse/datasets-sudoku: parse, validate, solve, generate, augment and encode Sudoku of any box shape, and build
 * reference-format datasets from CSVs, line banks or the generator.
 */
export { sudokuShape, shapeForSize, boxForSize, cellName, MAX_SUDOKU_SIZE, type SudokuShape } from "./shape";
export { DIGIT_CHARS, digitChar, charDigit, describeCharset, formatGrid } from "./charset";
export {
  parseGrid,
  sizeForLength,
  findConflicts,
  describeConflict,
  assertConsistent,
  assertAnswerMatches,
  countGivens,
  type Conflict,
  type GridSource,
} from "./grid";
export {
  parseSudokuCsv,
  parseSudokuLines,
  parseSudokuText,
  parseCsvRow,
  parseBankLine,
  csvColumns,
  looksLikeCsv,
  type CsvColumns,
  type ParseOptions,
  type SudokuRecord,
} from "./records";
export { SudokuFile, readSudokuFile, readSudokuFiles } from "./load";
export { SudokuSolver, type SolveOptions, type SolveResult } from "./solver";
export { generatePuzzle, randomSolutionGrid, isMinimal, type GenerateOptions, type GeneratedPuzzle } from "./generator";
export { sampleTransform, TransformSampler, applyTransform, transformSourceCells, shuffleSudoku, type SudokuTransform } from "./augment";
export { canonicalForm, canonicalKey, type CanonicalForm } from "./canonical";
export { symmetryFingerprint, SymmetryIndex } from "./leaks";
export {
  SUDOKU_PAD,
  SUDOKU_BLANK,
  sudokuVocabSize,
  encodeCells,
  decodeTokens,
  shapeFromMetadata,
  type SudokuDatasetInfo,
} from "./encode";
export { renderGrid, type RenderOptions } from "./render";
export { sampleIndices, streamSeed } from "./sample";
export { sudokuBuildSchema, sudokuGenerateSchema, type SudokuBuildOptions, type SudokuBuildInput } from "./schema";
export { buildSudokuDataset, parseSudokuBuildOptions, isTestFile, type SudokuBuildReport, type SudokuPair } from "./build";
export { loadSudokuDataset, type LoadedSudokuDataset } from "./dataset";
export { sudokuDataset, sudoku, isSudokuDataset, parseSudokuPuzzle } from "./plugin";
