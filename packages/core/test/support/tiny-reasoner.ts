/**
 * A small deterministic recursive reasoner for engine tests: token embedding + puzzle prefix, tanh-linear latent
 * and answer updates with separate weights, a linear LM head on the answer and a 2-way Q head on position 0.
 * Test support only.
 */
import {
  Rng,
  tf,
  type HaltingConfig,
  type LossType,
  type PuzzleEmbedding,
  type Readout,
  type ReasonerState,
  type RecursionSchedule,
  type RecursiveReasoner,
} from "@recurse/core";

export interface TinyOptions {
  vocab?: number;
  seqLen?: number;
  hidden?: number;
  numPuzzleIds?: number;
  schedule?: RecursionSchedule;
  halting?: HaltingConfig;
  loss?: LossType;
  seed?: number;
  /** Q head bias (halt, continue); default (-1, 0). */
  qBias?: [number, number];
  puzzleEmbedding?: boolean;
}

function randomTensor(rng: Rng, shape: number[], std: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal() * std), shape);
}

export class TinyReasoner implements RecursiveReasoner {
  readonly architecture = "tiny";
  readonly config: Readonly<Record<string, unknown>>;
  readonly schedule: RecursionSchedule;
  readonly halting: HaltingConfig;
  readonly loss: LossType;
  readonly prefixLength = 1;
  readonly puzzleEmbedding: PuzzleEmbedding | null;
  readonly vocab: number;
  readonly hidden: number;
  readonly seqLen: number;
  private readonly params = new Map<string, tf.Variable>();
  private readonly bufs = new Map<string, tf.Variable>();

  constructor(options: TinyOptions = {}) {
    this.vocab = options.vocab ?? 5;
    this.hidden = options.hidden ?? 8;
    this.seqLen = options.seqLen ?? 6;
    this.schedule = options.schedule ?? { cycles: 2, latentSteps: 2, gradient: "last-cycle" };
    this.halting = options.halting ?? { policy: "halt-logit", maxSteps: 4, explorationProb: 0 };
    this.loss = options.loss ?? "stablemax";
    this.config = { ...options };
    const rng = new Rng(options.seed ?? 1);
    const D = this.hidden;
    const V = this.vocab;
    tf.tidy(() => {
      const param = (name: string, t: tf.Tensor) => this.params.set(name, tf.variable(t, true, `tiny_${name}_${uid()}`));
      const buffer = (name: string, t: tf.Tensor) => this.bufs.set(name, tf.variable(t, false, `tiny_${name}_${uid()}`));
      param("embed_tokens.weight", randomTensor(rng, [V, D], 1));
      param("L.weight", randomTensor(rng, [D, D], 1 / Math.sqrt(D)));
      param("H.weight", randomTensor(rng, [D, D], 1 / Math.sqrt(D)));
      param("lm_head.weight", randomTensor(rng, [D, V], 1 / Math.sqrt(D)));
      param("q_head.weight", randomTensor(rng, [D, 2], 0.3 / Math.sqrt(D)));
      param("q_head.bias", tf.tensor1d(options.qBias ?? [-1, 0]));
      buffer("H_init", randomTensor(rng, [D], 0.5));
      buffer("L_init", randomTensor(rng, [D], 0.5));
      if (options.puzzleEmbedding !== false) {
        buffer("puzzle_emb.weights", randomTensor(rng, [options.numPuzzleIds ?? 3, D], 0.5));
      }
    });
    const table = this.bufs.get("puzzle_emb.weights");
    this.puzzleEmbedding = table ? { name: "puzzle_emb.weights", table, width: D } : null;
  }

  p(name: string): tf.Variable {
    return this.params.get(name)!;
  }

  embed(inputs: tf.Tensor2D, puzzleRows: tf.Tensor2D | null): tf.Tensor3D {
    return tf.tidy(() => {
      // One-hot matmul rather than gather: gather's gradient needs UnsortedSegmentSum, which the wasm backend lacks.
      const [B, L] = inputs.shape;
      const oneHot = tf.cast(tf.oneHot(tf.reshape(inputs, [B * L]), this.vocab), "float32"); // [B·L, V]
      const tokens = tf.reshape(tf.matMul(oneHot, this.p("embed_tokens.weight")), [B, L, this.hidden]); // [B, L, D]
      const prefix = puzzleRows
        ? tf.expandDims(puzzleRows, 1) // [B, 1, D]
        : tf.zeros([inputs.shape[0], 1, this.hidden]);
      return tf.concat([prefix, tokens], 1) as tf.Tensor3D;
    });
  }

  initialState(batchSize: number): ReasonerState {
    const shape: [number, number, number] = [batchSize, this.seqLen + 1, this.hidden];
    return tf.tidy(() => {
      return {
        y: tf.broadcastTo(this.bufs.get("H_init")!, shape) as tf.Tensor3D,
        z: tf.broadcastTo(this.bufs.get("L_init")!, shape) as tf.Tensor3D,
      };
    });
  }

  latentUpdate(x: tf.Tensor3D, s: ReasonerState): tf.Tensor3D {
    return tf.tidy(() => tf.tanh(mm3(s.z.add(s.y).add(x), this.p("L.weight"))) as tf.Tensor3D);
  }

  answerUpdate(_x: tf.Tensor3D, s: ReasonerState): tf.Tensor3D {
    return tf.tidy(() => tf.tanh(mm3(s.y.add(s.z), this.p("H.weight"))) as tf.Tensor3D);
  }

  readout(s: ReasonerState): Readout {
    return tf.tidy(() => {
      const [B, P1, D] = s.y.shape;
      const tokens = tf.slice(s.y, [0, 1, 0], [B, P1 - 1, D]);
      const logits = mm3(tokens, this.p("lm_head.weight")) as tf.Tensor3D; // [B, L, V]
      const q = tf.add(tf.matMul(tf.reshape(tf.slice(s.y, [0, 0, 0], [B, 1, D]), [B, D]), this.p("q_head.weight")), this.p("q_head.bias")); // [B, 2]
      const [halt, cont] = tf.unstack(q, 1) as tf.Tensor1D[];
      return { logits, halt, continue: cont };
    }) as Readout;
  }

  parameters(): Map<string, tf.Variable> {
    return this.params;
  }

  buffers(): Map<string, tf.Variable> {
    return this.bufs;
  }

  dispose(): void {
    for (const v of [...this.params.values(), ...this.bufs.values()]) v.dispose();
  }
}

let counter = 0;
function uid(): number {
  return counter++;
}

/** [B, N, D] × [D, K] → [B, N, K] */
function mm3(a: tf.Tensor, w: tf.Tensor): tf.Tensor {
  const [B, N, D] = a.shape;
  return tf.reshape(tf.matMul(tf.reshape(a, [B * N, D]), w), [B, N, w.shape[1]!]);
}

/** A batch for tests: random tokens in [1, vocab), labels = a fixed function of inputs, some ignored. */
export function makeBatch(rng: Rng, batchSize: number, seqLen: number, vocab: number, numPuzzleIds = 3) {
  const inputs = new Int32Array(batchSize * seqLen);
  const labels = new Int32Array(batchSize * seqLen);
  const puzzleIds = new Int32Array(batchSize);
  for (let b = 0; b < batchSize; b++) {
    puzzleIds[b] = rng.int(0, numPuzzleIds);
    for (let t = 0; t < seqLen; t++) {
      const v = rng.int(1, vocab);
      inputs[b * seqLen + t] = v;
      labels[b * seqLen + t] = rng.next() < 0.2 ? -100 : (v % (vocab - 1)) + 1;
    }
  }
  return { inputs, labels, puzzleIds, batchSize, seqLen };
}
