import {
  Embedding,
  Linear,
  Module,
  RotaryEmbedding,
  ShapeError,
  tf,
  type PuzzleEmbedding,
  type Readout,
  type Rng,
} from "@recurse/core";
import { puzzlePrefixLength, type BlockConfig } from "./config";

/**
 * The input and output side shared by TRM and the baseline, under the reference's `inner.*` names: token
 * embedding (`embed_tokens`), optional learned positions (`embed_pos`), the puzzle-embedding table buffer
 * (`puzzle_emb.weights`, zero-initialised), RoPE tables, `lm_head` and `q_head` (weight 0, bias -5).
 */
export class ReasonerIO extends Module {
  readonly hiddenSize: number;
  readonly seqLen: number;
  /** Puzzle prefix positions P. */
  readonly prefixLength: number;
  /** P + seqLen */
  readonly positions: number;
  readonly puzzleEmbNdim: number;
  readonly embedTokens: Embedding;
  readonly lmHead: Linear;
  readonly qHead: Linear;
  readonly embedPos: Embedding | null;
  readonly puzzleEmbedding: PuzzleEmbedding | null;
  readonly rope: RotaryEmbedding | null;

  constructor(name: string, config: BlockConfig, rng: Rng) {
    super(name);
    const d = config.hiddenSize;
    this.hiddenSize = d;
    this.seqLen = config.seqLen;
    this.puzzleEmbNdim = config.puzzleEmbNdim;
    this.prefixLength = puzzlePrefixLength(config);
    this.positions = this.seqLen + this.prefixLength;
    const embedStd = 1 / Math.sqrt(d);

    this.embedTokens = this.addModule(
      new Embedding(this.qualify("embed_tokens"), { numEmbeddings: config.vocabSize, dim: d, initStd: embedStd, rng }),
    );
    this.lmHead = this.addModule(new Linear(this.qualify("lm_head"), { inFeatures: d, outFeatures: config.vocabSize, rng }));
    this.qHead = this.addModule(new Linear(this.qualify("q_head"), { inFeatures: d, outFeatures: 2, bias: true, rng }));
    // Halting starts almost never-halt so early supervision steps are not cut short (reference Q-head init).
    tf.tidy(() => {
      this.qHead.weight.assign(tf.zerosLike(this.qHead.weight));
      this.qHead.bias!.assign(tf.fill([2], -5));
    });

    if (config.puzzleEmbNdim > 0) {
      const table = this.addBuffer("puzzle_emb.weights", tf.zeros([config.numPuzzleIdentifiers, config.puzzleEmbNdim]));
      this.puzzleEmbedding = { name: this.qualify("puzzle_emb.weights"), table, width: config.puzzleEmbNdim };
    } else {
      this.puzzleEmbedding = null;
    }

    this.embedPos =
      config.posEncodings === "learned"
        ? this.addModule(new Embedding(this.qualify("embed_pos"), { numEmbeddings: this.positions, dim: d, initStd: embedStd, rng }))
        : null;
    this.rope =
      config.posEncodings === "rope" && !config.mlpT
        ? new RotaryEmbedding({ positions: this.positions, headDim: Math.floor(d / config.numHeads), theta: config.ropeTheta })
        : null;
  }

  /**
   * x = √D · [puzzle rows zero-padded to P·D and viewed as P positions ; token embeddings], with learned
   * positions (when configured) added and scaled by 0.707106781 first.
   */
  embed(inputs: tf.Tensor2D, puzzleRows: tf.Tensor2D | null): tf.Tensor3D {
    const [b, l] = inputs.shape;
    if (l !== this.seqLen) throw new ShapeError(`embed: inputs are [${b}, ${l}], expected [B, ${this.seqLen}] (config seqLen)`);
    if (this.puzzleEmbedding && (!puzzleRows || puzzleRows.shape[0] !== b || puzzleRows.shape[1] !== this.puzzleEmbNdim)) {
      const got = puzzleRows ? `[${puzzleRows.shape.join(", ")}]` : "null";
      throw new ShapeError(`embed: puzzleRows is ${got}, expected [${b}, ${this.puzzleEmbNdim}] (rows of ${this.puzzleEmbedding.name})`);
    }
    return tf.tidy(() => {
      const d = this.hiddenSize;
      const p = this.prefixLength;
      let x = this.embedTokens.apply(inputs) as tf.Tensor3D; // [B, L, D]
      if (p > 0) {
        // Without a puzzle embedding the prefix positions are zeros (the reference would not concatenate them).
        let padded: tf.Tensor2D; // [B, P·D]
        if (puzzleRows && this.puzzleEmbedding) {
          const width = puzzleRows.shape[1];
          padded = width < p * d ? tf.pad(puzzleRows, [[0, 0], [0, p * d - width]]) : puzzleRows;
        } else {
          padded = tf.zeros([b, p * d]);
        }
        x = tf.concat([padded.reshape([b, p, d]), x], 1) as tf.Tensor3D; // [B, P+L, D]
      }
      if (this.embedPos) x = x.add(this.embedPos.weight).mul(0.707106781) as tf.Tensor3D;
      return x.mul(Math.sqrt(d)) as tf.Tensor3D;
    });
  }

  /** Logits from y's token positions (prefix stripped) and halt/continue logits from y's position 0. */
  readout(y: tf.Tensor3D): Readout {
    return tf.tidy(() => {
      const [b, , d] = y.shape;
      const tokens = y.slice([0, this.prefixLength, 0], [-1, -1, -1]); // [B, L, D]
      const logits = this.lmHead.apply(tokens) as tf.Tensor3D; // [B, L, V]
      const q = this.qHead.apply(y.slice([0, 0, 0], [-1, 1, -1]).reshape([b, d])); // [B, 2]
      const [halt, cont] = tf.split(q, 2, 1).map((t) => t.reshape([b])) as tf.Tensor1D[];
      return { logits, halt, continue: cont };
    });
  }

  protected override disposeExtra(): void {
    this.rope?.dispose();
  }
}
