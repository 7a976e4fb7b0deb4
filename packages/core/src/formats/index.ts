export * from "./puzzle-dataset-types";
