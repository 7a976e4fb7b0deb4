/**
 * Levenshtein distance (insert, delete, substitute = 1), case-insensitive; inputs are capped at 200 characters.
 *
 * @example
 * editDistance("kitten", "sitting"); // 3
 */
export function editDistance(a: string, b: string): number {
  const s = a.slice(0, 200).toLowerCase();
  const t = b.slice(0, 200).toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[t.length];
}

/**
 * The candidate closest to `input`, if it is close enough to be a plausible typo: at most a third of the longer
 * name's length (and at least 1) edits away, or differing only in case.
 *
 * @example
 * didYouMean("hiddenSiz", ["hiddenSize", "numHeads"]); // "hiddenSize"
 */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(input, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(input.length, best.length) / 3));
  return bestDistance <= limit ? best : undefined;
}

/** `unknown architecture "trn"; did you mean "trm"? (known: hrm, trm)` */
export function unknownNameMessage(kind: string, name: string, known: readonly string[]): string {
  const guess = didYouMean(name, known);
  const list = known.length ? known.join(", ") : "none registered";
  return `unknown ${kind} ${JSON.stringify(name)}${guess ? `; did you mean ${JSON.stringify(guess)}?` : ""} (known: ${list})`;
}
