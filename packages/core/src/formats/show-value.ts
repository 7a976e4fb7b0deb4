/**
 * A short printable form of any value for error messages. Never throws, whatever the value (objects whose
 * `toString` is not a function, BigInts, cycles, symbols), so building an error cannot itself fail.
 */
export function showValue(v: unknown, max = 60): string {
  let text: string;
  if (typeof v === "string") text = JSON.stringify(v);
  else if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint" || v === null || v === undefined) text = String(v);
  else if (typeof v === "symbol") text = v.description === undefined ? "Symbol()" : `Symbol(${v.description})`;
  else if (typeof v === "function") text = "a function";
  else {
    try {
      text = JSON.stringify(v) ?? `a ${typeof v}`;
    } catch {
      text = Array.isArray(v) ? "an array" : "an object";
    }
  }
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** A shape for messages (`[2, 3]`), safe for shapes that hold non-numbers. */
export function showShape(shape: readonly unknown[]): string {
  return `[${shape.map((d) => (typeof d === "number" ? String(d) : showValue(d, 20))).join(", ")}]`;
}
