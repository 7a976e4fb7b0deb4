/** Host copies of a reasoner's variables, to compare weights exactly across models. */
import type { RecursiveReasoner } from "@recurse/core";

/** Every parameter and buffer by state_dict name, copied to the host. */
export function snapshot(model: RecursiveReasoner): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const source of [model.parameters(), model.buffers()]) {
    for (const [name, v] of source) out.set(name, Float32Array.from(v.dataSync() as Float32Array));
  }
  return out;
}

/** Names whose values differ between two snapshots of the same architecture. */
export function changedNames(a: Map<string, Float32Array>, b: Map<string, Float32Array>): string[] {
  const changed: string[] = [];
  for (const [name, values] of a) {
    const other = b.get(name);
    if (!other || other.length !== values.length || values.some((v, i) => v !== other[i])) changed.push(name);
  }
  return changed;
}
