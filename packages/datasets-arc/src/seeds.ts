/**
 * A 32-bit seed for one puzzle and one random stream, from the build seed and the puzzle id (FNV-1a). Each puzzle
 * draws from its own generators, so its versions and translations do not depend on which other puzzles are built.
 */
export function puzzleSeed(seed: number, puzzleId: string, stream: string): number {
  let h = 0x811c9dc5;
  const text = `${seed}\u0000${stream}\u0000${puzzleId}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
