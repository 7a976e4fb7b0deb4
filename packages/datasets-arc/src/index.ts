/**
 * @recurse/datasets-arc: ARC-AGI-1, ARC-AGI-2 and ConceptARC loading and validation, dihedral / colour /
 * translation augmentation with exact inverses, the 30×30 token encoding, and reference-format datasets.
 */
export * from "./grid";
export * from "./validate";
export * from "./task";
export * from "./load";
export * from "./dihedral";
export * from "./colours";
export * from "./plan";
export * from "./hash";
export * from "./augment";
export * from "./encode";
export * from "./inverse";
export * from "./leaks";
export * from "./seeds";
export * from "./build-stream";
export * from "./palette";
export * from "./render";
export * from "./build";
export * from "./schema";
export * from "./plugin";
