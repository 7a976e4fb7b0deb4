export * from "./puzzle-dataset-types";
export * from "./npy";
export { NpyWriter, type NpyWritableDtype, type NpyWriterOptions } from "./npy-writer";
export { NpyReader } from "./npy-reader";
export type { ArrayData, ArrayDtype } from "./typed-values";
export * from "./puzzle-dataset";
export { metadataFromJson, metadataToJson } from "./puzzle-dataset-metadata";
export { validatePuzzleDatasetSplit, PUZZLE_ARRAYS, type PuzzleArrayFiles, type PuzzleArrayName } from "./puzzle-dataset-validate";
export * from "./puzzle-dataset-writer";
export {
  decodeSafetensors,
  encodeSafetensors,
  readSafetensors,
  writeSafetensors,
  SAFETENSORS_MAX_HEADER_BYTES,
  type NamedTensor,
  type SafetensorsDataMap,
  type SafetensorsDtype,
  type SafetensorsFile,
} from "./safetensors";
export * from "./atomic";
export * from "./checkpoint";
