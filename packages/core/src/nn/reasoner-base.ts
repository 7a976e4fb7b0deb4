import { tf } from "../tf";
import type { Rng } from "../rng";
import type {
  HaltingConfig,
  LossType,
  PuzzleEmbedding,
  Readout,
  ReasonerState,
  RecursionSchedule,
  RecursiveReasoner,
} from "../reasoner/types";
import type { BlockContext } from "./block";
import { Module } from "./module";
import type { ReasonerIO } from "./reasoner-io";
import { truncNormal } from "./trunc-normal";

/** What every {@link ReasonerBase} is built from. */
export interface ReasonerBaseOptions<C> {
  /** The validated config (copied and frozen; checkpoints save it). */
  config: C;
  schedule: RecursionSchedule;
  halting: HaltingConfig;
  loss: LossType;
  /**
   * The input and output side, created under the reasoner's name. It becomes the first child module, so its
   * variables come first in `parameters()` as in the reference state_dict.
   */
  io: ReasonerIO;
}

/**
 * The plumbing the reference reasoners share, for TRM, HRM, the baseline and user architectures alike: embedding and
 * readout through a {@link ReasonerIO} (logits from y with the prefix stripped, halt/continue from y's position 0),
 * the initial state broadcast from the `H_init` / `L_init` buffers, the block context (RoPE tables and forward hook),
 * and, from {@link Module}, `parameters()`, `buffers()` and `dispose()`. A subclass adds its networks and the two
 * updates.
 *
 * Initialisation order matters for seeded parity (one Rng feeds everything): build the io first (it is passed to
 * `super`), then the networks, then the initial-state buffers with {@link ReasonerBase.addInitBuffer}.
 *
 * @example
 * ```ts
 * class MyReasoner extends ReasonerBase<MyConfig> {
 *   readonly architecture = "mine";
 *   readonly net: ReasoningModule;
 *   readonly hInit: tf.Variable;
 *   readonly lInit: tf.Variable;
 *   constructor(config: MyConfig) {
 *     const rng = new Rng(config.seed);
 *     super("inner", { config, schedule, halting, loss: "softmax", io: new ReasonerIO("inner", { ...sizes, rng }) });
 *     this.net = this.addModule(new ReasoningModule("inner.L_level", 2, (name) => new TransformerBlock(name, { ...dims, rng })));
 *     this.hInit = this.addInitBuffer("H_init", rng);
 *     this.lInit = this.addInitBuffer("L_init", rng);
 *   }
 *   latentUpdate(x: tf.Tensor3D, s: ReasonerState) { return tf.tidy(() => this.net.apply(s.z, s.y.add(x) as tf.Tensor3D, this.context())); }
 *   answerUpdate(_x: tf.Tensor3D, s: ReasonerState) { return this.net.apply(s.y, s.z, this.context()); }
 * }
 * ```
 */
export abstract class ReasonerBase<C extends Record<string, unknown> = Record<string, unknown>>
  extends Module
  implements RecursiveReasoner
{
  abstract readonly architecture: string;
  readonly config: Readonly<C>;
  readonly schedule: RecursionSchedule;
  readonly halting: HaltingConfig;
  readonly loss: LossType;
  readonly prefixLength: number;
  readonly puzzleEmbedding: PuzzleEmbedding | null;
  readonly io: ReasonerIO;
  /** [D] initial y (reference `H_init`). */
  abstract readonly hInit: tf.Variable;
  /** [D] initial z (reference `L_init`), or null where z starts at zero. */
  abstract readonly lInit: tf.Variable | null;
  /**
   * Optional forward hook: called with every block's intermediate outputs (and every level call's result) under
   * their state_dict names. Values live only during the call; copy them out.
   */
  hook: BlockContext["hook"] = undefined;

  protected constructor(name: string, options: ReasonerBaseOptions<C>) {
    super(name);
    this.config = Object.freeze({ ...options.config });
    this.schedule = options.schedule;
    this.halting = options.halting;
    this.loss = options.loss;
    this.io = this.addModule(options.io);
    this.prefixLength = this.io.prefixLength;
    this.puzzleEmbedding = this.io.puzzleEmbedding;
  }

  /** x = √D · [puzzle row ; token embeddings], [B, P+L, D] (see {@link ReasonerIO.embed}). */
  embed(inputs: tf.Tensor2D, puzzleRows: tf.Tensor2D | null): tf.Tensor3D {
    return this.io.embed(inputs, puzzleRows);
  }

  /** y = H_init and z = L_init (zeros without one), broadcast over batch and positions: [B, P+L, D] each. */
  initialState(batchSize: number): ReasonerState {
    const shape: [number, number, number] = [batchSize, this.io.positions, this.io.hiddenSize];
    const lInit = this.lInit;
    return {
      y: tf.tidy(() => tf.broadcastTo(this.hInit, shape) as tf.Tensor3D),
      z: lInit ? tf.tidy(() => tf.broadcastTo(lInit, shape) as tf.Tensor3D) : (tf.zeros(shape) as tf.Tensor3D),
    };
  }

  abstract latentUpdate(x: tf.Tensor3D, state: ReasonerState): tf.Tensor3D;
  abstract answerUpdate(x: tf.Tensor3D, state: ReasonerState): tf.Tensor3D;

  /** Logits from y's token positions; q_halt and q_continue from y's position 0 (the puzzle slot). */
  readout(state: ReasonerState): Readout {
    return this.io.readout(state.y);
  }

  /** A [D] initial-state buffer drawn from a truncated normal of std 1, as the reference's `H_init` / `L_init`. */
  protected addInitBuffer(local: string, rng: Rng): tf.Variable {
    return this.addBuffer(local, truncNormal([this.io.hiddenSize], 1, rng));
  }

  /** What the blocks' forward reads besides its input: the io's RoPE tables and this reasoner's hook. */
  protected context(): BlockContext {
    return { rope: this.io.rope, hook: this.hook };
  }
}
