/**
 * One base class for every error the project throws on purpose, with typed subclasses. Messages name the file,
 * field and expected form so a user can fix the input without reading code.
 */
export class RecurseError extends Error {
  /** Stable machine-readable code, e.g. `E_DATA_FORMAT`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Where a bad value was found: the file (if any), the field path, and what was expected. */
export interface ErrorLocation {
  file?: string;
  field?: string;
  expected?: string;
}

function locate(message: string, at: ErrorLocation): string {
  const where = [at.file, at.field].filter(Boolean).join(": ");
  const expected = at.expected ? ` (expected ${at.expected})` : "";
  return where ? `${where}: ${message}${expected}` : `${message}${expected}`;
}

/** Malformed data file or record (dataset, puzzle file, .npy, safetensors, JSON). */
export class DataFormatError extends RecurseError {
  readonly location: ErrorLocation;
  constructor(message: string, at: ErrorLocation = {}, options?: { cause?: unknown }) {
    super("E_DATA_FORMAT", locate(message, at), options);
    this.location = at;
  }
}

/** A configuration value that fails validation. */
export class ConfigError extends RecurseError {
  readonly location: ErrorLocation;
  constructor(message: string, at: ErrorLocation = {}, options?: { cause?: unknown }) {
    super("E_CONFIG", locate(message, at), options);
    this.location = at;
  }
}

/** Unknown or duplicate registry ids, malformed plugins. */
export class RegistryError extends RecurseError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_REGISTRY", message, options);
  }
}

/** A checkpoint that is missing, truncated, corrupted or incompatible. */
export class CheckpointError extends RecurseError {
  readonly location: ErrorLocation;
  constructor(message: string, at: ErrorLocation = {}, options?: { cause?: unknown }) {
    super("E_CHECKPOINT", locate(message, at), options);
    this.location = at;
  }
}

/** A tensor engine that cannot be loaded or is misconfigured. */
export class EngineError extends RecurseError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_ENGINE", message, options);
  }
}

/** Tensors whose shapes or dtypes do not fit together. */
export class ShapeError extends RecurseError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("E_SHAPE", message, options);
  }
}

/** Training stopped because the loss became NaN or infinite. */
export class TrainingDivergedError extends RecurseError {
  readonly step: number;
  readonly lastGoodCheckpoint?: string;
  /** `quantity` names what became non-finite: the loss (default), or e.g. a weight found when saving. */
  constructor(step: number, value: number, lastGoodCheckpoint?: string, quantity = "loss") {
    super(
      "E_DIVERGED",
      `${quantity} became ${value} at step ${step}; training stopped` +
        (lastGoodCheckpoint ? `, last good checkpoint kept at ${lastGoodCheckpoint}` : ", no checkpoint had been written yet"),
    );
    this.step = step;
    this.lastGoodCheckpoint = lastGoodCheckpoint;
  }
}
