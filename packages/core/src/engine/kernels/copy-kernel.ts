import { FunctionBuilder, I32, V128 } from "./wasm-builder";

/**
 * Data-movement kernels for 4-byte elements (float32, int32) on the wasm heap, by byte addresses and strides.
 *
 * - `copy4(src, dst, n0, n1, n2, n3, s0, s1, s2, s3, d0, d1, d2, d3)`: copies the 4-D box of extents n0..n3 from
 *   `src + Σ i·s` to `dst + Σ i·d`. One kernel for slice, concat, split, unstack and every transpose that keeps
 *   the innermost axis (vector copies when both innermost strides are 4).
 * - `transpose2(src, dst, batch, R, C, sb, db)`: `dst[b][c][r] = src[b][r][c]`, in 4x4 blocks transposed with
 *   lane shuffles: reads and writes whole 16-byte vectors.
 */

export function copy4(): FunctionBuilder {
  const f = new FunctionBuilder("copy4", Array(14).fill(I32), []);
  const [src, dst] = [0, 1];
  const n = [2, 3, 4, 5];
  const s = [6, 7, 8, 9];
  const d = [10, 11, 12, 13];
  const ps = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const pd = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const cnt = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const vec = f.local(I32);

  // Empty box: nothing to do (the loops below run at least once).
  for (const x of n) f.get(x).i32Eqz().if_().return_().end();
  f.get(s[3]).i32(4).i32Eq().get(d[3]).i32(4).i32Eq().i32And().set(vec);

  f.get(src).set(ps[0]);
  f.get(dst).set(pd[0]);
  f.get(n[0]).set(cnt[0]);
  f.loop();
  {
    f.get(ps[0]).set(ps[1]);
    f.get(pd[0]).set(pd[1]);
    f.get(n[1]).set(cnt[1]);
    f.loop();
    {
      f.get(ps[1]).set(ps[2]);
      f.get(pd[1]).set(pd[2]);
      f.get(n[2]).set(cnt[2]);
      f.loop();
      {
        f.get(ps[2]).set(ps[3]);
        f.get(pd[2]).set(pd[3]);
        f.get(n[3]).set(cnt[3]);
        f.get(vec).if_();
        {
          // 4 elements at a time while at least 4 remain
          f.block().loop();
          {
            f.get(cnt[3]).i32(4).i32LtS().brIf(1);
            f.get(pd[3]).get(ps[3]).v128Load().v128Store();
            f.get(ps[3]).i32(16).i32Add().set(ps[3]);
            f.get(pd[3]).i32(16).i32Add().set(pd[3]);
            f.get(cnt[3]).i32(4).i32Sub().set(cnt[3]);
            f.br(0);
          }
          f.end().end();
        }
        f.end();
        f.block().loop();
        {
          f.get(cnt[3]).i32Eqz().brIf(1);
          f.get(pd[3]).get(ps[3]).i32Load().i32Store();
          f.get(ps[3]).get(s[3]).i32Add().set(ps[3]);
          f.get(pd[3]).get(d[3]).i32Add().set(pd[3]);
          f.get(cnt[3]).i32(1).i32Sub().set(cnt[3]);
          f.br(0);
        }
        f.end().end();
        f.get(ps[2]).get(s[2]).i32Add().set(ps[2]);
        f.get(pd[2]).get(d[2]).i32Add().set(pd[2]);
        f.get(cnt[2]).i32(1).i32Sub().tee(cnt[2]).brIf(0);
      }
      f.end();
      f.get(ps[1]).get(s[1]).i32Add().set(ps[1]);
      f.get(pd[1]).get(d[1]).i32Add().set(pd[1]);
      f.get(cnt[1]).i32(1).i32Sub().tee(cnt[1]).brIf(0);
    }
    f.end();
    f.get(ps[0]).get(s[0]).i32Add().set(ps[0]);
    f.get(pd[0]).get(d[0]).i32Add().set(pd[0]);
    f.get(cnt[0]).i32(1).i32Sub().tee(cnt[0]).brIf(0);
  }
  f.end();
  return f;
}

export function transpose2(): FunctionBuilder {
  const f = new FunctionBuilder("transpose2", Array(7).fill(I32), []);
  const [src, dst, batch, R, C, sb, db] = [0, 1, 2, 3, 4, 5, 6];
  const bi = f.local(I32);
  const base = f.local(I32); // src of this batch slice
  const out = f.local(I32); // dst of this batch slice
  const r = f.local(I32);
  const c = f.local(I32);
  const t = f.local(I32);
  const rowBytes = f.local(I32); // C·4: one source row
  const colBytes = f.local(I32); // R·4: one destination row
  const p = f.local(I32);
  const q = f.local(I32);
  const v = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const w = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];

  /** dst[c'][r'] = src[r'][c'] for one element, addresses from locals. */
  const scalarMove = (rr: number, cc: number) => {
    f.get(out).get(cc).get(colBytes).i32Mul().i32Add().get(rr).i32(4).i32Mul().i32Add();
    f.get(base).get(rr).get(rowBytes).i32Mul().i32Add().get(cc).i32(4).i32Mul().i32Add().i32Load();
    f.i32Store();
  };

  f.get(C).i32(4).i32Mul().set(rowBytes);
  f.get(R).i32(4).i32Mul().set(colBytes);
  f.i32(0).set(bi);
  f.block().loop(); // batch
  {
    f.get(bi).get(batch).i32GeS().brIf(1);
    f.get(src).get(bi).get(sb).i32Mul().i32Add().set(base);
    f.get(dst).get(bi).get(db).i32Mul().i32Add().set(out);
    f.i32(0).set(r);
    f.block().loop(); // 4-row bands
    {
      f.get(r).i32(4).i32Add().get(R).i32GtS().brIf(1);
      f.i32(0).set(c);
      f.block().loop(); // 4x4 blocks
      {
        f.get(c).i32(4).i32Add().get(C).i32GtS().brIf(1);
        // p = &src[r][c]
        f.get(base).get(r).get(rowBytes).i32Mul().i32Add().get(c).i32(4).i32Mul().i32Add().set(p);
        for (let k = 0; k < 4; k++) {
          f.get(p).v128Load().set(v[k]);
          if (k < 3) f.get(p).get(rowBytes).i32Add().set(p);
        }
        f.get(v[0]).get(v[1]).shuffle32([0, 4, 1, 5]).set(w[0]);
        f.get(v[0]).get(v[1]).shuffle32([2, 6, 3, 7]).set(w[1]);
        f.get(v[2]).get(v[3]).shuffle32([0, 4, 1, 5]).set(w[2]);
        f.get(v[2]).get(v[3]).shuffle32([2, 6, 3, 7]).set(w[3]);
        // q = &dst[c][r]
        f.get(out).get(c).get(colBytes).i32Mul().i32Add().get(r).i32(4).i32Mul().i32Add().set(q);
        f.get(q).get(w[0]).get(w[2]).shuffle32([0, 1, 4, 5]).v128Store();
        f.get(q).get(colBytes).i32Add().tee(q).get(w[0]).get(w[2]).shuffle32([2, 3, 6, 7]).v128Store();
        f.get(q).get(colBytes).i32Add().tee(q).get(w[1]).get(w[3]).shuffle32([0, 1, 4, 5]).v128Store();
        f.get(q).get(colBytes).i32Add().tee(q).get(w[1]).get(w[3]).shuffle32([2, 3, 6, 7]).v128Store();
        f.get(c).i32(4).i32Add().set(c);
        f.br(0);
      }
      f.end().end();
      // leftover columns of the band
      f.block().loop();
      {
        f.get(c).get(C).i32GeS().brIf(1);
        f.i32(0).set(t);
        f.block().loop();
        {
          f.get(t).i32(4).i32GeS().brIf(1);
          f.get(r).get(t).i32Add().set(p);
          scalarMove(p, c);
          f.get(t).i32(1).i32Add().set(t);
          f.br(0);
        }
        f.end().end();
        f.get(c).i32(1).i32Add().set(c);
        f.br(0);
      }
      f.end().end();
      f.get(r).i32(4).i32Add().set(r);
      f.br(0);
    }
    f.end().end();
    // leftover rows
    f.block().loop();
    {
      f.get(r).get(R).i32GeS().brIf(1);
      f.i32(0).set(c);
      f.block().loop();
      {
        f.get(c).get(C).i32GeS().brIf(1);
        scalarMove(r, c);
        f.get(c).i32(1).i32Add().set(c);
        f.br(0);
      }
      f.end().end();
      f.get(r).i32(1).i32Add().set(r);
      f.br(0);
    }
    f.end().end();
    f.get(bi).i32(1).i32Add().set(bi);
    f.br(0);
  }
  f.end().end();
  return f;
}
