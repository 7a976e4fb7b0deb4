import type { RecursiveReasoner } from "../reasoner/types";
import { RegistryError } from "../errors";
import { showValue } from "../formats/show-value";
import { validatePlugin } from "./define-plugin";
import { unknownNameMessage } from "./did-you-mean";
import { resolveArchitectureConfig, type ResolveConfigOptions } from "./resolve-config";
import type { ArchitectureSpec, DatasetSpec, EvaluatorSpec, Plugin } from "./types";

/** Registered entries of one kind, by id, in registration order. */
export interface RegistryCollection<S extends { id: string }> {
  /** The entry with this id; an unknown id fails with the known ones and a "did you mean". */
  get(id: string): S;
  has(id: string): boolean;
  /** Every entry, in registration order. */
  list(): S[];
  /** Every id, in registration order. */
  ids(): string[];
  /** Name of the plugin that registered `id`. */
  pluginOf(id: string): string;
}

/** Architectures, with config resolution and construction. */
export interface ArchitectureCollection extends RegistryCollection<ArchitectureSpec<any>> {
  /** The validated config for `id`: schema.parse(merge(presets[preset], overrides)); see {@link resolveArchitectureConfig}. */
  resolveConfig(id: string, options?: ResolveConfigOptions): Record<string, unknown>;
  /** Resolve the config and build a freshly initialised reasoner. */
  create(id: string, options?: ResolveConfigOptions): RecursiveReasoner;
}

/** Options of {@link Registry.use}. */
export interface UseOptions {
  /** Replace entries whose ids are already registered instead of failing. */
  replace?: boolean;
}

/** Architectures, datasets and evaluators contributed by plugins. */
export interface Registry {
  /** Register every entry of a plugin (all or nothing). Chainable. */
  use(plugin: Plugin, options?: UseOptions): Registry;
  readonly architectures: ArchitectureCollection;
  readonly datasets: RegistryCollection<DatasetSpec<any>>;
  readonly evaluators: RegistryCollection<EvaluatorSpec>;
  /** Plugins used so far, in order. */
  readonly plugins: readonly Plugin[];
}

type Kind = "architecture" | "dataset" | "evaluator";

class Collection<S extends { id: string }> implements RegistryCollection<S> {
  readonly entries = new Map<string, { spec: S; plugin: string }>();
  constructor(readonly kind: Kind) {}

  get(id: string): S {
    const entry = this.entries.get(id);
    if (!entry) throw new RegistryError(unknownNameMessage(this.kind, typeof id === "string" ? id : showValue(id), this.ids()));
    return entry.spec;
  }
  has(id: string): boolean {
    return this.entries.has(id);
  }
  list(): S[] {
    return [...this.entries.values()].map((e) => e.spec);
  }
  ids(): string[] {
    return [...this.entries.keys()];
  }
  pluginOf(id: string): string {
    this.get(id);
    return this.entries.get(id)!.plugin;
  }
}

class Architectures extends Collection<ArchitectureSpec<any>> implements ArchitectureCollection {
  constructor() {
    super("architecture");
  }
  resolveConfig(id: string, options: ResolveConfigOptions = {}): Record<string, unknown> {
    return resolveArchitectureConfig(this.get(id), options);
  }
  create(id: string, options: ResolveConfigOptions = {}): RecursiveReasoner {
    const spec = this.get(id);
    return spec.create(resolveArchitectureConfig(spec, options));
  }
}

/**
 * A new, empty registry. Nothing registers itself on import: a program adds what it wants with `use()`.
 *
 * @example
 * const registry = createRegistry().use(trm).use(sudoku);
 * const model = registry.architectures.create("trm", { preset: "sudoku-mlp", overrides: { hiddenSize: 128 } });
 */
export function createRegistry(): Registry {
  const architectures = new Architectures();
  const datasets = new Collection<DatasetSpec<any>>("dataset");
  const evaluators = new Collection<EvaluatorSpec>("evaluator");
  const plugins: Plugin[] = [];

  const registry: Registry = {
    architectures,
    datasets,
    evaluators,
    plugins,
    use(plugin: Plugin, options: UseOptions = {}): Registry {
      validatePlugin(plugin);
      const groups: [Collection<any>, { id: string }[]][] = [
        [architectures, plugin.architectures ?? []],
        [datasets, plugin.datasets ?? []],
        [evaluators, plugin.evaluators ?? []],
      ];
      // Check every id first so a failing plugin registers nothing.
      if (!options.replace) {
        for (const [collection, specs] of groups) {
          for (const spec of specs) {
            const existing = collection.entries.get(spec.id);
            if (existing) {
              throw new RegistryError(
                `${collection.kind} ${JSON.stringify(spec.id)} of plugin ${JSON.stringify(plugin.name)} is already registered by plugin ` +
                  `${JSON.stringify(existing.plugin)}; use(plugin, { replace: true }) to replace it`,
              );
            }
          }
        }
      }
      for (const [collection, specs] of groups) {
        for (const spec of specs) collection.entries.set(spec.id, { spec, plugin: plugin.name });
      }
      plugins.push(plugin);
      return registry;
    },
  };
  return registry;
}
