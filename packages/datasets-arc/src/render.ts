import { ARC_COLOUR_OFFSET, ARC_EOS, ARC_PAD, ARC_SEQ_LEN, findOrigin } from "./encode";
import { ARC_MAX_GRID_SIZE, type Grid } from "./grid";
import { paletteRgb, xterm256 } from "./palette";

/** How {@link renderGrid} and {@link renderTokens} draw cells. */
export interface RenderOptions {
  /** ANSI background colours (true) or plain digits (false, the default). */
  color?: boolean;
  /** 24-bit colours (default) or the 256-colour palette, for terminals without true colour. */
  colorDepth?: 24 | 8;
}

const RESET = "\x1b[0m";

function cell(colour: number, options: RenderOptions): string {
  if (!options.color) return String(colour);
  const [r, g, b] = paletteRgb(colour);
  const bg = options.colorDepth === 8 ? `\x1b[48;5;${xterm256(colour)}m` : `\x1b[48;2;${r};${g};${b}m`;
  // Dark digits on light cells and light digits on dark cells, so the digit stays readable.
  const fg = 0.299 * r + 0.587 * g + 0.114 * b > 140 ? "\x1b[30m" : "\x1b[97m";
  return `${bg}${fg}${colour} ${RESET}`;
}

/**
 * A grid as text: one line per row, digits separated by spaces, or coloured cells with the ARC palette.
 *
 * @example
 * ```ts
 * renderGrid(gridFromRows([[0, 1], [2, 3]])); // "0 1\n2 3"
 * ```
 */
export function renderGrid(grid: Grid, options: RenderOptions = {}): string {
  const lines: string[] = [];
  for (let r = 0; r < grid.height; r++) {
    const row: string[] = [];
    for (let c = 0; c < grid.width; c++) row.push(cell(grid.cells[r * grid.width + c], options));
    lines.push(options.color ? row.join("") : row.join(" "));
  }
  return lines.join("\n");
}

/**
 * One encoded example (900 tokens) as text. The canvas is drawn from the grid's origin (so translated training
 * examples look like their grid) over the region holding any non-PAD token: colours as digits (or palette cells),
 * EOS as `|` on the right edge and `-` below, PAD inside the region as `.`.
 *
 * @example
 * ```ts
 * renderTokens(encodeGrid(gridFromRows([[3, 4]]))); // "3 4 |\n- - ."
 * ```
 */
export function renderTokens(tokens: ArrayLike<number>, options: RenderOptions = {}): string {
  if (tokens.length !== ARC_SEQ_LEN) throw new RangeError(`expected ${ARC_SEQ_LEN} tokens, got ${tokens.length}`);
  const S = ARC_MAX_GRID_SIZE;
  const origin = findOrigin(tokens);
  let lastRow = -1;
  let lastCol = -1;
  for (let r = origin.row; r < S; r++) {
    for (let c = origin.col; c < S; c++) {
      if (tokens[r * S + c] !== ARC_PAD) {
        lastRow = r;
        if (c > lastCol) lastCol = c;
      }
    }
  }
  if (lastRow < 0) return "(empty canvas)";
  const lines: string[] = [];
  for (let r = origin.row; r <= lastRow; r++) {
    const row: string[] = [];
    for (let c = origin.col; c <= lastCol; c++) {
      const t = tokens[r * S + c];
      if (t >= ARC_COLOUR_OFFSET && t < ARC_COLOUR_OFFSET + 10) row.push(cell(t - ARC_COLOUR_OFFSET, options));
      else {
        const mark = t === ARC_EOS ? (c > origin.col && tokens[r * S + c - 1] >= ARC_COLOUR_OFFSET ? "|" : "-") : t === ARC_PAD ? "." : "?";
        row.push(options.color ? `${mark} ` : mark);
      }
    }
    lines.push(options.color ? row.join("") : row.join(" "));
  }
  return lines.join("\n");
}
