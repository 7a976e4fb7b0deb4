import { FunctionBuilder, I32, V128 } from "./wasm-builder";

/**
 * The batched-matmul SIMD kernel, written as WebAssembly and run on the tfjs wasm heap directly (no copies).
 *
 * Two functions, both on byte addresses into the heap:
 * - `packB(b, sBk, sBn, K, N, dst)`: copies B (element (k, j) at `b + k*sBk + j*sBn`) into column panels of 8,
 *   `[ceil(N/8)][K][8]`, zero-padded; a transposed B is just other strides.
 * - `gemmRows(a, sAm, sAk, packed, K, N, c, ldc, r0, r1, spill, accumulate, apack)`: C rows `r0..r1` = A rows x
 *   packed B (or C += that, with `accumulate`), where A's element (i, k) is at `a + i*sAm + k*sAk` (a transposed A
 *   is other strides, its tiles packed to `apack` first) and C row i starts at `c + i*ldc`. Tiles are 4 rows x 8
 *   columns held in eight f32x4 accumulators; edge tiles go through the 128-byte `spill` area.
 */
export function packB(): FunctionBuilder {
  const f = new FunctionBuilder("packB", [I32, I32, I32, I32, I32, I32], []);
  const [b, sBk, sBn, K, N, dst] = [0, 1, 2, 3, 4, 5];
  const jp = f.local(I32);
  const k = f.local(I32);
  const c = f.local(I32);
  const src = f.local(I32);
  const col = f.local(I32);

  f.i32(0).set(jp);
  f.block().loop(); // panels
  {
    f.get(jp).get(N).i32GeS().brIf(1);
    f.i32(0).set(k);
    f.block().loop(); // rows of the panel
    {
      f.get(k).get(K).i32GeS().brIf(1);
      // src = b + k*sBk + jp*sBn
      f.get(b).get(k).get(sBk).i32Mul().i32Add().get(jp).get(sBn).i32Mul().i32Add().set(src);
      // contiguous full panel: two vector copies
      f.get(sBn).i32(4).i32Eq().get(jp).i32(8).i32Add().get(N).i32LeS().i32And();
      f.if_();
      {
        f.get(dst).get(src).v128Load(0).v128Store(0);
        f.get(dst).get(src).v128Load(16).v128Store(16);
      }
      f.else_();
      {
        f.i32(0).set(c);
        f.block().loop();
        {
          f.get(c).i32(8).i32GeS().brIf(1);
          f.get(jp).get(c).i32Add().set(col);
          f.get(dst).get(c).i32(4).i32Mul().i32Add();
          // value = col < N ? B(k, col) : 0
          f.get(src).get(c).get(sBn).i32Mul().i32Add().f32Load();
          f.f32(0);
          f.get(col).get(N).i32LtS();
          f.select();
          f.f32Store();
          f.get(c).i32(1).i32Add().set(c);
          f.br(0);
        }
        f.end().end();
      }
      f.end();
      f.get(dst).i32(32).i32Add().set(dst);
      f.get(k).i32(1).i32Add().set(k);
      f.br(0);
    }
    f.end().end();
    f.get(jp).i32(8).i32Add().set(jp);
    f.br(0);
  }
  f.end().end();
  return f;
}

/**
 * `name(a, sAm, sAk, packed, K, N, c, ldc, r0, r1, spill, accumulate, apack)`: C rows r0..r1 in tiles of `mr`
 * rows x 8 columns (the spill area holds one tile: mr·32 bytes); with `accumulate` nonzero, C += A·B (one block of
 * a longer shared dimension). When A is not row-major (sAk ≠ 4), each tile of A is first copied to `apack`
 * (K·mr·4 bytes). Measured on V8 11 (Node 20): 4 rows beat 6 (register pressure),
 * and neither unrolling k nor relaxed-SIMD multiply-add was faster than this plain loop.
 */
export function gemmRowsKernel(name: string, mr: number): FunctionBuilder {
  const f = new FunctionBuilder(name, Array(13).fill(I32), []);
  const [a, sAm, sAk, packed, K, N, c, ldc, r0, r1, spill, accumulate, apack] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
  ];
  const i = f.local(I32);
  const rows = f.local(I32);
  const jp = f.local(I32);
  const pb = f.local(I32);
  const kk = f.local(I32);
  const pc = f.local(I32);
  const cols = f.local(I32);
  const r = f.local(I32);
  const cc = f.local(I32);
  const rowBase = Array.from({ length: mr }, () => f.local(I32));
  const q = Array.from({ length: mr }, () => f.local(I32));
  const acc = Array.from({ length: 2 * mr }, () => f.local(V128));
  const b0 = f.local(V128);
  const b1 = f.local(V128);
  const av = f.local(V128);
  const full = f.local(I32);
  const qStep = f.local(I32); // bytes from one k to the next in the A rows being read
  const kq = f.local(I32);
  const src = f.local(I32);
  const dst = f.local(I32);

  /** Copy the valid rows x cols of the C tile at pc to (toSpill) or from the spill area. */
  const edgeCopy = (toSpill: boolean) => {
    f.i32(0).set(r);
    f.block().loop();
    {
      f.get(r).get(rows).i32GeS().brIf(1);
      f.i32(0).set(cc);
      f.block().loop();
      {
        f.get(cc).get(cols).i32GeS().brIf(1);
        const cAddr = () => f.get(pc).get(r).get(ldc).i32Mul().i32Add().get(cc).i32(4).i32Mul().i32Add();
        const sAddr = () => f.get(spill).get(r).i32(32).i32Mul().i32Add().get(cc).i32(4).i32Mul().i32Add();
        if (toSpill) {
          sAddr();
          cAddr().f32Load();
        } else {
          cAddr();
          sAddr().f32Load();
        }
        f.f32Store();
        f.get(cc).i32(1).i32Add().set(cc);
        f.br(0);
      }
      f.end().end();
      f.get(r).i32(1).i32Add().set(r);
      f.br(0);
    }
    f.end().end();
  };

  /** One k step: a B row of 8 (two vectors at pb) times one A element per tile row. */
  const kStep = () => {
    f.get(pb).v128Load(0).set(b0);
    f.get(pb).v128Load(16).set(b1);
    for (let t = 0; t < mr; t++) {
      f.get(q[t]).v128Load32Splat().set(av);
      f.get(acc[2 * t])
        .get(av)
        .get(b0)
        .f32x4Mul()
        .f32x4Add()
        .set(acc[2 * t]);
      f.get(acc[2 * t + 1])
        .get(av)
        .get(b1)
        .f32x4Mul()
        .f32x4Add()
        .set(acc[2 * t + 1]);
    }
  };

  f.get(r0).set(i);
  f.block().loop(); // row tiles
  {
    f.get(i).get(r1).i32GeS().brIf(1);
    // rows = min(mr, r1 - i)
    f.get(r1).get(i).i32Sub().tee(rows).i32(mr).get(rows).i32(mr).i32LtS().select().set(rows);
    // row pointers; rows past the edge repeat the last valid row so every load stays in bounds
    f.get(a).get(i).get(sAm).i32Mul().i32Add().set(rowBase[0]);
    for (let t = 1; t < mr; t++) {
      f.get(rowBase[t - 1])
        .get(sAm)
        .i32Add();
      f.get(rowBase[t - 1]);
      f.get(rows).i32(t).i32GtS();
      f.select().set(rowBase[t]);
    }
    // A rows far apart along k (a transposed A): copy the tile to [K][mr] once, so every column panel reads it
    // contiguously instead of striding through memory again.
    f.get(sAk).i32(4).i32Ne().if_();
    {
      f.get(apack).set(dst);
      f.i32(0).set(kq);
      f.block().loop();
      {
        f.get(kq).get(K).i32GeS().brIf(1);
        f.get(kq).get(sAk).i32Mul().set(src);
        if (mr === 4) {
          // transposed A: the tile's 4 rows are 4 adjacent floats at each k
          f.get(sAm).i32(4).i32Eq().get(rows).i32(4).i32Eq().i32And().if_();
          f.get(dst).get(rowBase[0]).get(src).i32Add().v128Load().v128Store();
          f.else_();
        }
        for (let t = 0; t < mr; t++)
          f.get(dst)
            .get(rowBase[t])
            .get(src)
            .i32Add()
            .f32Load()
            .f32Store(4 * t);
        if (mr === 4) f.end();
        f.get(dst)
          .i32(4 * mr)
          .i32Add()
          .set(dst);
        f.get(kq).i32(1).i32Add().set(kq);
        f.br(0);
      }
      f.end().end();
      f.i32(4 * mr).set(qStep);
    }
    f.else_();
    f.get(sAk).set(qStep);
    f.end();
    f.get(packed).set(pb);
    f.i32(0).set(jp);
    f.block().loop(); // column panels
    {
      f.get(jp).get(N).i32GeS().brIf(1);
      // pc = c + i*ldc + jp*4; a full tile is mr rows x 8 columns inside C
      f.get(c).get(i).get(ldc).i32Mul().i32Add().get(jp).i32(4).i32Mul().i32Add().set(pc);
      f.get(rows).i32(mr).i32Eq().get(jp).i32(8).i32Add().get(N).i32LeS().i32And().set(full);
      // cols = min(8, N - jp)
      f.get(N).get(jp).i32Sub().tee(cols).i32(8).get(cols).i32(8).i32LtS().select().set(cols);
      f.get(accumulate).if_();
      {
        // C += A·B: start from C (a later block of the shared dimension)
        f.get(full).if_();
        for (let t = 0; t < mr; t++) {
          f.get(pc)
            .i32(t)
            .get(ldc)
            .i32Mul()
            .i32Add()
            .v128Load(0)
            .set(acc[2 * t]);
          f.get(pc)
            .i32(t)
            .get(ldc)
            .i32Mul()
            .i32Add()
            .v128Load(16)
            .set(acc[2 * t + 1]);
        }
        f.else_();
        for (let t = 0; t < 2 * mr; t++)
          f.get(spill)
            .v128Zero()
            .v128Store(16 * t);
        edgeCopy(true);
        for (let t = 0; t < 2 * mr; t++)
          f.get(spill)
            .v128Load(16 * t)
            .set(acc[t]);
        f.end();
      }
      f.else_();
      for (const x of acc) f.v128Zero().set(x);
      f.end();
      f.get(sAk).i32(4).i32Ne().if_();
      for (let t = 0; t < mr; t++)
        f.get(apack)
          .i32(4 * t)
          .i32Add()
          .set(q[t]);
      f.else_();
      for (let t = 0; t < mr; t++) f.get(rowBase[t]).set(q[t]);
      f.end();
      f.get(K).set(kk);
      f.loop(); // k (K >= 1)
      {
        kStep();
        for (let t = 0; t < mr; t++) f.get(q[t]).get(qStep).i32Add().set(q[t]);
        f.get(pb).i32(32).i32Add().set(pb);
        f.get(kk).i32(1).i32Sub().tee(kk).brIf(0);
      }
      f.end();
      f.get(full).if_();
      {
        for (let t = 0; t < mr; t++) {
          f.get(pc)
            .get(acc[2 * t])
            .v128Store(0);
          f.get(pc)
            .get(acc[2 * t + 1])
            .v128Store(16);
          if (t < mr - 1) f.get(pc).get(ldc).i32Add().set(pc);
        }
      }
      f.else_();
      {
        for (let t = 0; t < 2 * mr; t++)
          f.get(spill)
            .get(acc[t])
            .v128Store(16 * t);
        edgeCopy(false);
      }
      f.end();
      f.get(jp).i32(8).i32Add().set(jp);
      f.br(0);
    }
    f.end().end();
    f.get(i).i32(mr).i32Add().set(i);
    f.br(0);
  }
  f.end().end();
  return f;
}
