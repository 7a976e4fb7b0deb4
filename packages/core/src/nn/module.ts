import { tf } from "../tf";

/** Join a dotted state_dict prefix and a local name (`joinName("inner", "lm_head")` → `inner.lm_head`). */
export function joinName(prefix: string, local: string): string {
  return prefix ? `${prefix}.${local}` : local;
}

/**
 * tfjs keeps one process-wide registry of variable names, so two live models cannot both own a variable called
 * `inner.lm_head.weight`. The first one gets the exact name; later ones get `#2`, `#3`, ... The state_dict name
 * is always the key of {@link Module.parameters} / {@link Module.buffers}, which is what checkpoints use.
 */
function uniqueVariableName(name: string): string {
  const registered = (tf.engine() as unknown as { registeredVariables: Record<string, unknown> }).registeredVariables;
  if (registered[name] == null) return name;
  for (let k = 2; ; k++) {
    const candidate = `${name}#${k}`;
    if (registered[candidate] == null) return candidate;
  }
}

/**
 * Base of the nn building blocks: owns tf.Variables under their reference state_dict names (the module's
 * `name` is the dotted prefix, e.g. `inner.L_level.layers.0.self_attn`) and child modules.
 *
 * @example
 * ```ts
 * class Scale extends Module {
 *   readonly w: tf.Variable;
 *   constructor(name: string) { super(name); this.w = this.addParameter("weight", tf.ones([4])); }
 * }
 * new Scale("head").parameters(); // Map { "head.weight" => Variable }
 * ```
 */
export abstract class Module {
  /** Dotted state_dict prefix of everything this module owns ("" at the root). */
  readonly name: string;
  private readonly ownParameters = new Map<string, tf.Variable>();
  private readonly ownBuffers = new Map<string, tf.Variable>();
  private readonly children: Module[] = [];

  constructor(name: string) {
    this.name = name;
  }

  /** Full state_dict name of a local name. */
  protected qualify(local: string): string {
    return joinName(this.name, local);
  }

  /** Register a trainable variable initialised from `initial` (which it takes ownership of and disposes). */
  protected addParameter(local: string, initial: tf.Tensor): tf.Variable {
    return this.register(this.ownParameters, local, initial, true);
  }

  /** Register a persistent non-trainable variable (a torch buffer); takes ownership of `initial`. */
  protected addBuffer(local: string, initial: tf.Tensor): tf.Variable {
    return this.register(this.ownBuffers, local, initial, false);
  }

  /** Adopt a child module (created with a name under this one); returns it. */
  protected addModule<M extends Module>(child: M): M {
    this.children.push(child);
    return child;
  }

  private register(into: Map<string, tf.Variable>, local: string, initial: tf.Tensor, trainable: boolean): tf.Variable {
    const full = this.qualify(local);
    if (into.has(full)) throw new Error(`duplicate variable name ${full}`);
    const v = tf.variable(initial, trainable, uniqueVariableName(full));
    initial.dispose();
    into.set(full, v);
    return v;
  }

  /** Trainable variables by state_dict name, this module's first, then its children's in creation order. */
  parameters(): Map<string, tf.Variable> {
    const out = new Map(this.ownParameters);
    for (const c of this.children) for (const [k, v] of c.parameters()) out.set(k, v);
    return out;
  }

  /** Persistent non-trainable variables by state_dict name. */
  buffers(): Map<string, tf.Variable> {
    const out = new Map(this.ownBuffers);
    for (const c of this.children) for (const [k, v] of c.buffers()) out.set(k, v);
    return out;
  }

  /** Dispose every variable of this module and its children. */
  dispose(): void {
    for (const v of this.ownParameters.values()) v.dispose();
    for (const v of this.ownBuffers.values()) v.dispose();
    this.ownParameters.clear();
    this.ownBuffers.clear();
    for (const c of this.children) c.dispose();
    this.disposeExtra();
  }

  /** Hook for modules that hold plain tensors (e.g. RoPE tables) besides variables. */
  protected disposeExtra(): void {}
}
