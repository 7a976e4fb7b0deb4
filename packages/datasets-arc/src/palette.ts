/**
 * The canonical ARC palette (the colours of the official ARC testing interface), indexed by colour 0..9:
 * black, blue, red, green, yellow, grey, magenta, orange, sky, maroon.
 *
 * @example
 * ```ts
 * ARC_PALETTE[2]; // "#FF4136" (red)
 * ```
 */
export const ARC_PALETTE = ["#000000", "#0074D9", "#FF4136", "#2ECC40", "#FFDC00", "#AAAAAA", "#F012BE", "#FF851B", "#7FDBFF", "#870C25"] as const;

/** Names of the palette colours, indexed by colour 0..9. */
export const ARC_COLOUR_NAMES = ["black", "blue", "red", "green", "yellow", "grey", "magenta", "orange", "sky", "maroon"] as const;

/** `[r, g, b]` of a palette colour. */
export function paletteRgb(colour: number): [number, number, number] {
  const hex = ARC_PALETTE[colour];
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}

/** Nearest colour of the xterm 256-colour 6×6×6 cube. */
export function xterm256(colour: number): number {
  const level = (v: number) => (v < 48 ? 0 : v < 115 ? 1 : Math.floor((v - 35) / 40));
  const [r, g, b] = paletteRgb(colour);
  return 16 + 36 * level(r) + 6 * level(g) + level(b);
}
