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
export { sampleTransform, applyTransform, transformSourceCells, shuffleSudoku, type SudokuTransform } from "./augment";
export { canonicalForm, canonicalKey, type CanonicalForm } from "./canonical";
export { symmetryFingerprint, SymmetryIndex } from "./leaks";
