import { ReasonerIO, ioPosEncodings, type Rng } from "@recurse/core";
import { puzzlePrefixLength, type BlockConfig } from "./config";

/**
 * Core's {@link ReasonerIO} sized by a TRM or baseline config, under the reference's `inner.*` names.
 * TRM-MLP (`mlpT`) never reads the RoPE tables, so it asks for none even when `posEncodings` is `rope`.
 *
 * @example
 * ```ts
 * const io = buildReasonerIO("inner", trmConfigSchema.parse(trmPresets.tiny), new Rng(0));
 * io.positions; // prefix + seqLen
 * ```
 */
export function buildReasonerIO(name: string, config: BlockConfig, rng: Rng): ReasonerIO {
  return new ReasonerIO(name, {
    hiddenSize: config.hiddenSize,
    vocabSize: config.vocabSize,
    seqLen: config.seqLen,
    prefixLength: puzzlePrefixLength(config),
    puzzleEmbNdim: config.puzzleEmbNdim,
    numPuzzleIdentifiers: config.numPuzzleIdentifiers,
    posEncodings: ioPosEncodings(config),
    headDim: Math.floor(config.hiddenSize / config.numHeads),
    ropeTheta: config.ropeTheta,
    rng,
  });
}
