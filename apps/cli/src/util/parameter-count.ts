import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Registry } from "@recurse/core";
import { cacheDir, JsonCache } from "./cache";

/** Trainable parameters of one preset (the puzzle-embedding table, a buffer, is not counted, as the papers do). */
export interface PresetCount {
  preset: string;
  parameters: number | null;
  /** Why the count is missing. */
  error?: string;
}

/**
 * Count the parameters of every preset of `archId` by building the model once and summing its parameters'
 * sizes; cached on disk by plugin, version, architecture and the resolved config, so `recurse list` is fast
 * after the first run and a changed preset is recounted.
 */
export function countPresetParameters(registry: Registry, archId: string, env: Record<string, string | undefined>, cache?: JsonCache<number>): PresetCount[] {
  const store = cache ?? new JsonCache<number>(join(cacheDir(env), "parameter-counts.json"));
  const spec = registry.architectures.get(archId);
  const pluginName = registry.architectures.pluginOf(archId);
  const version = registry.plugins.find((p) => p.name === pluginName)?.version ?? "";
  const out: PresetCount[] = [];
  for (const preset of Object.keys(spec.presets)) {
    let config: Record<string, unknown>;
    try {
      config = registry.architectures.resolveConfig(archId, { preset });
    } catch (err) {
      out.push({ preset, parameters: null, error: (err as Error).message });
      continue;
    }
    const key = createHash("sha256").update(JSON.stringify([pluginName, version, archId, config])).digest("hex").slice(0, 32);
    const hit = store.get(key);
    if (hit !== undefined) {
      out.push({ preset, parameters: hit });
      continue;
    }
    try {
      const model = spec.create(config);
      let n = 0;
      for (const v of model.parameters().values()) n += v.size;
      model.dispose();
      store.set(key, n);
      out.push({ preset, parameters: n });
    } catch (err) {
      out.push({ preset, parameters: null, error: (err as Error).message.split("\n")[0] });
    }
  }
  if (!cache) store.save();
  return out;
}

/** 6828034 → "6.83M", 12345 → "12.3K". */
export function formatCount(n: number | null): string {
  if (n === null) return "?";
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}
