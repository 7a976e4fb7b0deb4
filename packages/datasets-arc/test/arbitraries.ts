import fc from "fast-check";
import type { Grid } from "@recurse/datasets-arc";

/** A random grid of 1..30 per side with colours 0..9. */
export const arbGrid = (maxSide = 30): fc.Arbitrary<Grid> =>
  fc
    .record({ h: fc.integer({ min: 1, max: maxSide }), w: fc.integer({ min: 1, max: maxSide }) })
    .chain(({ h, w }) =>
      fc.uint8Array({ min: 0, max: 9, minLength: h * w, maxLength: h * w }).map((cells) => ({ height: h, width: w, cells }) as Grid),
    );
