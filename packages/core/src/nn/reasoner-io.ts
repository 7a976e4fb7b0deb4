import { tf } from "../tf";
import { ShapeError } from "../errors";
import type { Rng } from "../rng";
import type { PuzzleEmbedding, Readout } from "../reasoner/types";
import { Embedding } from "./embedding";
import { Linear } from "./linear";
import { Module } from "./module";
import { RotaryEmbedding } from "./rope";

/** Sizes and choices of a {@link ReasonerIO}. */
export interface ReasonerIOOptions {
  /** Width D of every position (reference `hidden_size`). */
  hiddenSize: number;
  vocabSize: number;
  /** Tokens per example, without the prefix. */
  seqLen: number;
  /** Prefix positions P in front of the tokens (TRM: `puzzle_emb_len`, HRM: ceil(puzzle_emb_ndim / hidden)). */
  prefixLength: number;
  /** Width of a puzzle-embedding row; 0 means no puzzle embedding (the prefix, if any, stays zero). */
  puzzleEmbNdim: number;
  /** Rows of the puzzle-embedding table. */
  numPuzzleIdentifiers: number;
  /**
   * `rope`: RoPE tables over the P + L positions for attention blocks; `learned`: a position table added to x;
   * `none`: neither (pass `none` also for rope configs whose blocks never read the tables, e.g. TRM-MLP).
   */
  posEncodings: "rope" | "learned" | "none";
  /** Attention head width for the RoPE tables (reference hidden_size // num_heads). Required with `rope`. */
  headDim?: number;
  ropeTheta?: number;
  /** Initialisation draws (token embedding, heads, learned positions). */
  rng: Rng;
}

/**
 * The input and output side the reference HRM and TRM share, under their `inner.*` state_dict names: token
 * embedding (`embed_tokens`, std 1/√D), optional learned positions (`embed_pos`), the puzzle-embedding table
 * (buffer `puzzle_emb.weights`, zero-initialised, trained sparsely), the RoPE tables, `lm_head` and `q_head`
 * (weight 0, bias -5, so halting starts as "never").
 *
 * @example
 * ```ts
 * const io = new ReasonerIO("inner", {
 *   hiddenSize: 32, vocabSize: 12, seqLen: 16, prefixLength: 1, puzzleEmbNdim: 32, numPuzzleIdentifiers: 4,
 *   posEncodings: "rope", headDim: 16, rng: new Rng(0),
 * });
 * const x = io.embed(inputs, puzzleRows);   // [B, 17, 32]
 * const { logits, halt } = io.readout(y);   // [B, 16, 12], [B]
 * ```
 */
export class ReasonerIO extends Module {
  readonly hiddenSize: number;
  readonly seqLen: number;
  /** Prefix positions P. */
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

  constructor(name: string, options: ReasonerIOOptions) {
    super(name);
    const { hiddenSize: d, rng } = options;
    if (options.puzzleEmbNdim > options.prefixLength * d) {
      throw new ShapeError(
        `ReasonerIO: a puzzle embedding of ${options.puzzleEmbNdim} does not fit ${options.prefixLength} prefix position(s) of ${d} ` +
          `(expected prefixLength ≥ ${Math.ceil(options.puzzleEmbNdim / d)})`,
      );
    }
    this.hiddenSize = d;
    this.seqLen = options.seqLen;
    this.puzzleEmbNdim = options.puzzleEmbNdim;
    this.prefixLength = options.prefixLength;
    this.positions = this.seqLen + this.prefixLength;
    const embedStd = 1 / Math.sqrt(d);

    this.embedTokens = this.addModule(
      new Embedding(this.qualify("embed_tokens"), { numEmbeddings: options.vocabSize, dim: d, initStd: embedStd, rng }),
    );
    this.lmHead = this.addModule(new Linear(this.qualify("lm_head"), { inFeatures: d, outFeatures: options.vocabSize, rng }));
    this.qHead = this.addModule(new Linear(this.qualify("q_head"), { inFeatures: d, outFeatures: 2, bias: true, rng }));
    // Halting starts almost never-halt so early supervision steps are not cut short (reference Q-head init).
    tf.tidy(() => {
      this.qHead.weight.assign(tf.zerosLike(this.qHead.weight));
      this.qHead.bias!.assign(tf.fill([2], -5));
    });

    if (options.puzzleEmbNdim > 0) {
      const table = this.addBuffer("puzzle_emb.weights", tf.zeros([options.numPuzzleIdentifiers, options.puzzleEmbNdim]));
      this.puzzleEmbedding = { name: this.qualify("puzzle_emb.weights"), table, width: options.puzzleEmbNdim };
    } else {
      this.puzzleEmbedding = null;
    }

    this.embedPos =
      options.posEncodings === "learned"
        ? this.addModule(new Embedding(this.qualify("embed_pos"), { numEmbeddings: this.positions, dim: d, initStd: embedStd, rng }))
        : null;
    if (options.posEncodings === "rope") {
      if (!options.headDim) throw new ShapeError("ReasonerIO: posEncodings 'rope' needs headDim");
      this.rope = new RotaryEmbedding({ positions: this.positions, headDim: options.headDim, theta: options.ropeTheta ?? 10000 });
    } else {
      this.rope = null;
    }
  }

  /**
   * x = √D · [puzzle rows zero-padded to P·D and viewed as P positions ; token embeddings], with learned
   * positions (when configured) added and scaled by 0.707106781 first. `inputs` [B, L] int32, `puzzleRows`
   * [B, puzzleEmbNdim] (null without a puzzle embedding) → [B, P+L, D].
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
