/** Every permutation of 0..k-1 in lexicographic order (k ≤ 5 in practice: box sides). */
export function allPermutations(k: number): Int32Array[] {
  const out: Int32Array[] = [];
  const cur = new Int32Array(k);
  const used = new Uint8Array(k);
  const rec = (i: number) => {
    if (i === k) {
      out.push(cur.slice());
      return;
    }
    for (let v = 0; v < k; v++) {
      if (used[v]) continue;
      used[v] = 1;
      cur[i] = v;
      rec(i + 1);
      used[v] = 0;
    }
  };
  rec(0);
  return out;
}

const memo = new Map<number, Int32Array[]>();

/** {@link allPermutations}, memoised. */
export function permutationsOf(k: number): Int32Array[] {
  let p = memo.get(k);
  if (!p) memo.set(k, (p = allPermutations(k)));
  return p;
}
