/**
 * The checkpoint the kill tests save at iteration i: every value derives from i, so a loaded checkpoint proves
 * which save it is and that it is whole. 200 kB of weights, so a save takes a few milliseconds and kills land
 * inside writes too.
 */
export const WEIGHTS = 50_000;

/** @param {number} i */
export function contentOf(i) {
  const w = new Float32Array(WEIGHTS);
  for (let k = 0; k < WEIGHTS; k++) w[k] = i + k / WEIGHTS;
  return {
    config: { iteration: i, note: `checkpoint ${i}` },
    tensors: {
      model: new Map([
        ["w", { dtype: "F32", shape: [WEIGHTS], data: w }],
        ["iteration", { dtype: "I32", shape: [1], data: new Int32Array([i]) }],
      ]),
      optimizer: new Map([["step", { dtype: "I64", shape: [], data: new BigInt64Array([BigInt(i)]) }]]),
    },
    state: { iteration: i },
  };
}
