/**
 * A tiny recursive reasoner and a tiny generated dataset, in plain JavaScript so the same module serves the tests
 * (where `@recurse/core` resolves to its sources) and the child processes the tests kill (where it resolves to the
 * built dist). Deterministic from a seed; a few hundred parameters, so a training step takes milliseconds.
 */
import { Rng, tf } from "@recurse/core";

let counter = 0;

/** [B, N, D] × [D, K] → [B, N, K] */
function mm3(a, w) {
  const [B, N, D] = a.shape;
  return tf.reshape(tf.matMul(tf.reshape(a, [B * N, D]), w), [B, N, w.shape[1]]);
}

function randomTensor(rng, shape, std) {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal() * std), shape);
}

/**
 * TRM-like: x = tokens (one-hot matmul, so the wasm backend can take its gradient) after a puzzle-embedding
 * prefix; z ← tanh((z + y + x)·L), y ← tanh((y + z)·H); logits = y·lm_head; halt/continue from position 0.
 *
 * @example
 * const model = new TinyReasoner({ vocab: 6, seqLen: 5, hidden: 8, numPuzzleIds: 9, seed: 1 });
 */
export class TinyReasoner {
  /** @param {{ vocab: number, seqLen: number, hidden: number, numPuzzleIds: number, seed: number, halting?: object, schedule?: object }} options */
  constructor(options) {
    this.architecture = "reliability-tiny";
    this.config = { ...options };
    this.vocab = options.vocab;
    this.seqLen = options.seqLen;
    this.hidden = options.hidden;
    this.schedule = options.schedule ?? { cycles: 2, latentSteps: 2, gradient: "last-cycle" };
    this.halting = options.halting ?? { policy: "q-learning", maxSteps: 3, explorationProb: 0.5 };
    this.loss = "stablemax";
    this.prefixLength = 1;
    this.params = new Map();
    this.bufs = new Map();
    const rng = new Rng(options.seed);
    const D = this.hidden;
    const V = this.vocab;
    tf.tidy(() => {
      const param = (name, t) => this.params.set(name, tf.variable(t, true, `rel_${name}_${counter++}`));
      const buffer = (name, t) => this.bufs.set(name, tf.variable(t, false, `rel_${name}_${counter++}`));
      param("embed_tokens.weight", randomTensor(rng, [V, D], 1));
      param("L.weight", randomTensor(rng, [D, D], 1 / Math.sqrt(D)));
      param("H.weight", randomTensor(rng, [D, D], 1 / Math.sqrt(D)));
      param("lm_head.weight", randomTensor(rng, [D, V], 1 / Math.sqrt(D)));
      param("q_head.weight", randomTensor(rng, [D, 2], 0.3 / Math.sqrt(D)));
      param("q_head.bias", tf.tensor1d([0, 0]));
      buffer("H_init", randomTensor(rng, [D], 0.5));
      buffer("L_init", randomTensor(rng, [D], 0.5));
      buffer("puzzle_emb.weights", randomTensor(rng, [options.numPuzzleIds, D], 0.5));
    });
    this.puzzleEmbedding = { name: "puzzle_emb.weights", table: this.bufs.get("puzzle_emb.weights"), width: D };
  }

  embed(inputs, puzzleRows) {
    return tf.tidy(() => {
      const [B, L] = inputs.shape;
      const oneHot = tf.cast(tf.oneHot(tf.reshape(inputs, [B * L]), this.vocab), "float32"); // [B·L, V]
      const tokens = tf.reshape(tf.matMul(oneHot, this.params.get("embed_tokens.weight")), [B, L, this.hidden]); // [B, L, D]
      const prefix = puzzleRows ? tf.expandDims(puzzleRows, 1) : tf.zeros([B, 1, this.hidden]); // [B, 1, D]
      return tf.concat([prefix, tokens], 1); // [B, 1+L, D]
    });
  }

  initialState(batchSize) {
    const shape = [batchSize, this.seqLen + 1, this.hidden];
    return tf.tidy(() => ({ y: tf.broadcastTo(this.bufs.get("H_init"), shape), z: tf.broadcastTo(this.bufs.get("L_init"), shape) }));
  }

  latentUpdate(x, s) {
    return tf.tidy(() => tf.tanh(mm3(s.z.add(s.y).add(x), this.params.get("L.weight"))));
  }

  answerUpdate(_x, s) {
    return tf.tidy(() => tf.tanh(mm3(s.y.add(s.z), this.params.get("H.weight"))));
  }

  readout(s) {
    return tf.tidy(() => {
      const [B, P1, D] = s.y.shape;
      const logits = mm3(tf.slice(s.y, [0, 1, 0], [B, P1 - 1, D]), this.params.get("lm_head.weight")); // [B, L, V]
      const first = tf.reshape(tf.slice(s.y, [0, 0, 0], [B, 1, D]), [B, D]); // [B, D]
      const q = tf.add(tf.matMul(first, this.params.get("q_head.weight")), this.params.get("q_head.bias")); // [B, 2]
      const [halt, cont] = tf.unstack(q, 1);
      return { logits, halt, continue: cont };
    });
  }

  parameters() {
    return this.params;
  }

  buffers() {
    return this.bufs;
  }

  dispose() {
    for (const v of [...this.params.values(), ...this.bufs.values()]) v.dispose();
  }
}

/**
 * A reference-format split: `groups` groups of 1-2 puzzles of 1-3 examples, tokens in [1, vocab), labels a fixed
 * map of the inputs with some ignored (0).
 *
 * @example
 * const train = tinySplit({ groups: 6, seqLen: 5, vocab: 6, seed: 3 });
 */
export function tinySplit({ groups, seqLen, vocab, seed }) {
  const rng = new Rng(seed);
  const sizes = Array.from({ length: groups }, () => Array.from({ length: rng.int(1, 3) }, () => rng.int(1, 4)));
  return splitOfGroups(sizes, { seqLen, vocab, rng });
}

/**
 * A reference-format split whose groups hold puzzles of the given example counts (`[[2, 1], [3]]`: group 0 with
 * puzzles of 2 and 1 examples, group 1 with one of 3), tokens drawn from `rng` in [1, vocab), labels the fixed map
 * `(v mod (vocab-1)) + 1` of the inputs with 15% ignored (0). Puzzle identifiers are 1.. in order (0 is blank).
 */
export function splitOfGroups(groups, { seqLen, vocab, rng }) {
  const puzzleIndices = [0];
  const groupIndices = [0];
  const ids = [];
  for (const group of groups) {
    for (const size of group) {
      ids.push(ids.length + 1);
      puzzleIndices.push(puzzleIndices[puzzleIndices.length - 1] + size);
    }
    groupIndices.push(ids.length);
  }
  const n = puzzleIndices[puzzleIndices.length - 1];
  const inputs = new Int32Array(n * seqLen);
  const labels = new Int32Array(n * seqLen);
  for (let i = 0; i < n * seqLen; i++) {
    inputs[i] = rng.int(1, vocab);
    labels[i] = rng.next() < 0.15 ? 0 : (inputs[i] % (vocab - 1)) + 1;
  }
  return {
    metadata: {
      padId: 0,
      ignoreLabelId: 0,
      blankIdentifierId: 0,
      vocabSize: vocab,
      seqLen,
      numPuzzleIdentifiers: ids.length + 1,
      totalGroups: groups.length,
      meanPuzzleExamples: n / ids.length,
      sets: ["all"],
    },
    inputs,
    labels,
    puzzleIdentifiers: Int32Array.from(ids),
    puzzleIndices: Int32Array.from(puzzleIndices),
    groupIndices: Int32Array.from(groupIndices),
  };
}

/** The training setup every reliability run shares; `outDir` and extras vary. */
export function tinyRun({ outDir, steps = 12, checkpointEvery = 1, seed = 7, modelSeed = 1, onProgress } = {}) {
  const train = tinySplit({ groups: 6, seqLen: 5, vocab: 6, seed: 3 });
  const reasoner = new TinyReasoner({ vocab: 6, seqLen: 5, hidden: 8, numPuzzleIds: train.metadata.numPuzzleIdentifiers, seed: modelSeed });
  const options = {
    reasoner,
    train,
    batchSize: 4,
    steps,
    seed,
    optimizer: { lr: 1e-2, weightDecay: 0.1 },
    puzzleOptimizer: { lr: 1e-2, weightDecay: 0.1 },
    schedule: { warmupSteps: 3, minRatio: 0.2 },
    ema: 0.9,
    checkpointEvery,
    outDir,
    onProgress,
  };
  return { reasoner, train, options };
}
