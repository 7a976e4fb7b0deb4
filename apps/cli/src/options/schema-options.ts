import { Option, type Command } from "commander";
import { CliError } from "../errors";
import { optionDescription } from "./option-descriptions";

/** A flag derived from one field of a zod object schema. */
export interface SchemaFlag {
  /** Where the value goes in the options object (`["generate", "size"]`). */
  path: string[];
  /** `--train-size` */
  flag: string;
  /** commander's attribute name for the flag (`trainSize`). */
  attr: string;
  kind: "string" | "number" | "integer" | "boolean" | "string[]" | "number[]" | "enum" | "json";
  choices?: string[];
  description: string;
  required: boolean;
  defaultValue?: unknown;
  /** For flags of a nested object: the flag that must be given with it (`--generate`). */
  requires?: string;
}

interface AnyDef {
  type: string;
  innerType?: ZodLike;
  element?: ZodLike;
  entries?: Record<string, unknown>;
  values?: unknown[];
  options?: ZodLike[];
  defaultValue?: unknown;
  in?: ZodLike;
  shape?: Record<string, ZodLike>;
  checks?: { _zod?: { def?: { check?: string; format?: string } } }[];
}
type ZodLike = { _zod?: { def: AnyDef }; description?: string };

function defOf(s: ZodLike | undefined): AnyDef {
  return (s?._zod?.def ?? { type: "unknown" }) as AnyDef;
}

/** `trainSize` → `train-size`. */
export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
}

function camel(flagName: string): string {
  return flagName.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The object shape of a zod schema, looking through defaults, optionals, pipes and transforms. */
function objectShape(schema: ZodLike | undefined): Record<string, ZodLike> | undefined {
  let s = schema;
  for (let i = 0; s && i < 20; i++) {
    const d = defOf(s);
    if (d.type === "object") return d.shape;
    s = d.in ?? d.innerType;
  }
  return undefined;
}

/** Strip optional/default/pipe wrappers; report whether the field may be omitted and its default. */
function unwrapField(field: ZodLike): { inner: ZodLike; required: boolean; defaultValue?: unknown; description: string } {
  let s = field;
  let required = true;
  let defaultValue: unknown;
  let description = field.description ?? "";
  for (let i = 0; i < 20; i++) {
    const d = defOf(s);
    if (d.type === "optional" || d.type === "nullable") required = false;
    else if (d.type === "default" || d.type === "prefault") {
      required = false;
      defaultValue = typeof d.defaultValue === "function" ? undefined : d.defaultValue;
    } else if (d.type !== "pipe" && d.type !== "readonly") break;
    s = (d.innerType ?? d.in) as ZodLike;
    description ||= s.description ?? "";
  }
  return { inner: s, required, defaultValue, description };
}

function kindOf(inner: ZodLike): Pick<SchemaFlag, "kind" | "choices"> {
  const d = defOf(inner);
  switch (d.type) {
    case "string":
      return { kind: "string" };
    case "number":
      return { kind: isInt(d) ? "integer" : "number" };
    case "boolean":
      return { kind: "boolean" };
    case "enum":
      return { kind: "enum", choices: Object.values(d.entries ?? {}).map(String) };
    case "literal":
      return { kind: "enum", choices: (d.values ?? []).map(String) };
    case "union": {
      const opts = (d.options ?? []).map((o) => unwrapField(o).inner);
      if (opts.every((o) => defOf(o).type === "literal")) return { kind: "enum", choices: opts.flatMap((o) => (defOf(o).values ?? []).map(String)) };
      // `string | string[]` (e.g. ARC's testSet): a repeatable flag.
      const arr = opts.find((o) => defOf(o).type === "array");
      if (arr) return kindOf(arr);
      if (opts.some((o) => defOf(o).type === "string")) return { kind: "string" };
      return { kind: "json" };
    }
    case "array": {
      const el = unwrapField(d.element as ZodLike).inner;
      return { kind: defOf(el).type === "number" ? "number[]" : "string[]" };
    }
    default:
      return { kind: "json" };
  }
}

function isInt(d: AnyDef): boolean {
  return (d.checks ?? []).some((c) => ["safeint", "int32", "uint32"].includes(c._zod?.def?.format ?? "") || c._zod?.def?.check === "int");
}

/**
 * Describe each field of a zod object schema as a command-line flag, so a dataset plugin's `buildSchema`
 * defines `recurse data build <id>`'s options with no CLI code per dataset:
 * - camelCase keys become kebab flags (`trainSize` → `--train-size`); plural array keys take a singular,
 *   repeatable flag (`inputs` → `--input a.csv --input b.csv`);
 * - a nested object with a `count` field becomes `--<key> <count>` plus flags for its other fields, which then
 *   require it (`generate: { count, size, givens }` → `--generate 200 --size 4 --givens 8`); other nested
 *   objects get prefixed flags (`--key-field`).
 */
export function schemaFlags(schema: unknown): SchemaFlag[] {
  const shape = objectShape(schema as ZodLike);
  if (!shape) return [];
  const topKeys = new Set(Object.keys(shape));
  const flags: SchemaFlag[] = [];
  for (const [key, field] of Object.entries(shape)) {
    const { inner, required, defaultValue, description } = unwrapField(field);
    const nested = defOf(inner).type === "object" ? defOf(inner).shape : undefined;
    if (nested) {
      const hasCount = "count" in nested;
      const parentFlag = `--${kebab(key)}`;
      if (hasCount) {
        const count = unwrapField(nested.count);
        flags.push(makeFlag([key, "count"], key, { ...kindOf(count.inner) }, optionDescription([key], description || count.description), required, undefined));
      }
      for (const [sub, subField] of Object.entries(nested)) {
        if (hasCount && sub === "count") continue;
        const u = unwrapField(subField);
        const name = hasCount && !topKeys.has(sub) ? sub : `${key}-${kebab(sub)}`;
        const f = makeFlag([key, sub], name, kindOf(u.inner), optionDescription([key, sub], u.description), false, u.defaultValue);
        flags.push({ ...f, requires: hasCount ? parentFlag : undefined });
      }
      continue;
    }
    const k = kindOf(inner);
    const isList = k.kind === "string[]" || k.kind === "number[]";
    const name = isList && key.length > 3 && key.endsWith("s") ? key.slice(0, -1) : key;
    flags.push(makeFlag([key], name, k, optionDescription([key], description), required, defaultValue));
  }
  return flags;
}

function makeFlag(
  path: string[],
  name: string,
  kind: Pick<SchemaFlag, "kind" | "choices">,
  description: string,
  required: boolean,
  defaultValue: unknown,
): SchemaFlag {
  const flagName = kebab(name);
  return { path, flag: `--${flagName}`, attr: camel(flagName), ...kind, description, required, defaultValue };
}

/** Add the flags to `cmd`. Defaults are shown in help but applied by the schema, not by commander. */
export function addSchemaOptions(cmd: Command, flags: SchemaFlag[]): void {
  for (const f of flags) {
    const notes: string[] = [];
    if (f.required) notes.push("required");
    if (f.requires) notes.push(`with ${f.requires}`);
    const switchOff = f.kind === "boolean" && f.defaultValue === true;
    if (switchOff) notes.push("on unless given");
    else if (f.defaultValue !== undefined && f.defaultValue !== false && !(Array.isArray(f.defaultValue) && f.defaultValue.length === 0)) notes.push(`default: ${JSON.stringify(f.defaultValue)}`);
    const desc = [switchOff && f.description ? `no ${f.description}` : f.description, notes.length ? `(${notes.join("; ")})` : ""].filter(Boolean).join(" ");
    let opt: Option;
    switch (f.kind) {
      case "boolean":
        // A switch that defaults to on is turned off with --no-<name>.
        opt = new Option(f.defaultValue === true ? f.flag.replace(/^--/, "--no-") : f.flag, desc);
        break;
      case "string[]":
      case "number[]":
        opt = new Option(`${f.flag} <value...>`, `${desc} (repeatable)`.trim());
        break;
      case "enum":
        opt = new Option(`${f.flag} <value>`, desc).choices(f.choices ?? []);
        break;
      default:
        opt = new Option(`${f.flag} <${f.kind === "string" ? "value" : f.kind === "json" ? "json" : "n"}>`, desc);
    }
    cmd.addOption(opt);
  }
}

/**
 * The options object for the schema from parsed flag values: numbers and JSON converted, nested paths built, and
 * flags of a nested object refused without their parent flag. Validation proper is the schema's.
 */
export function collectSchemaValues(flags: SchemaFlag[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of flags) {
    const v = values[f.attr];
    if (v === undefined) continue;
    if (f.requires && values[camel(f.requires.slice(2))] === undefined) throw new CliError(`${f.flag} needs ${f.requires}`);
    const num = (x: unknown): number => {
      const n = Number(x);
      if (typeof x === "string" && (x.trim() === "" || !Number.isFinite(n))) throw new CliError(`${f.flag}: expected a number, got '${x}'`);
      if (f.kind === "integer" && !Number.isInteger(n)) throw new CliError(`${f.flag}: expected an integer, got '${String(x)}'`);
      return n;
    };
    let value: unknown;
    switch (f.kind) {
      case "number":
      case "integer":
        value = num(v);
        break;
      case "number[]":
        value = (v as unknown[]).map(num);
        break;
      case "enum": {
        const n = Number(v);
        value = f.choices?.every((c) => Number.isFinite(Number(c))) && Number.isFinite(n) ? n : v;
        break;
      }
      case "json":
        try {
          value = JSON.parse(String(v));
        } catch {
          value = v;
        }
        break;
      default:
        value = v;
    }
    let obj = out;
    for (const p of f.path.slice(0, -1)) obj = (obj[p] ??= {}) as Record<string, unknown>;
    obj[f.path[f.path.length - 1]] = value;
  }
  return out;
}
