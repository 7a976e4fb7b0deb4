import { createHash } from "node:crypto";
import { open, readFile, readdir, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { z } from "zod";
import { CheckpointError, DataFormatError } from "../errors";
import { describeIssues } from "../registry/zod-issues";
import { recoverInterruptedWrite, writeDirectoryAtomic } from "./atomic";
import { decodeSafetensors, safetensorsParts, type NamedTensor } from "./safetensors";

/**
 * A checkpoint directory:
 * - `config.json`: whatever the trainer passes (architecture, config, dataset metadata, versions);
 * - `<stem>.safetensors` per tensor group (`model` with reference state_dict names, `optimizer`, `ema`, `carry`, ...);
 * - `trainer_state.json`: optional resume state (step, RNG state, ...);
 * - `manifest.json`: size and sha256 of every other file, so truncation or corruption is detected on load.
 * Written atomically (see {@link writeDirectoryAtomic}); loading parses JSON and safetensors only, never code.
 */

export const CHECKPOINT_FORMAT = "recurse-checkpoint/1";
const CONFIG_FILE = "config.json";
const STATE_FILE = "trainer_state.json";
const MANIFEST_FILE = "manifest.json";
const STEM = /^[A-Za-z0-9_-]+$/;
const FILE_NAME = /^[A-Za-z0-9_-]+\.(json|safetensors)$/;

/** What a checkpoint holds. */
export interface CheckpointContent {
  /** Written as `config.json`. */
  config: unknown;
  /** File stem -> tensors, e.g. `model` -> `model.safetensors`. */
  tensors: Record<string, Map<string, NamedTensor>>;
  /** Written as `trainer_state.json` when given. */
  state?: unknown;
}

/** `manifest.json`. */
export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  createdAt: string;
  files: Record<string, { bytes: number; sha256: string }>;
}

/** A loaded checkpoint: its content and manifest. */
export interface LoadedCheckpoint extends CheckpointContent {
  manifest: CheckpointManifest;
}

const manifestSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  createdAt: z.string(),
  files: z.record(
    z.string().regex(FILE_NAME, "a plain .json or .safetensors file name"),
    z.object({ bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/, "64 lowercase hex digits") }),
  ),
});

/** The message of a located error without its `file: field: ` prefix, to re-locate it in another error class. */
function unlocated(e: DataFormatError): string {
  const prefix = [e.location.file, e.location.field].filter(Boolean).join(": ");
  return prefix && e.message.startsWith(`${prefix}: `) ? e.message.slice(prefix.length + 2) : e.message;
}

function jsonBytes(value: unknown, file: string): Uint8Array {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, null, 2);
  } catch (cause) {
    throw new CheckpointError(`not serialisable as JSON: ${(cause as Error).message}`, { file }, { cause });
  }
  if (text === undefined) throw new CheckpointError("not serialisable as JSON", { file, expected: "a JSON value" });
  return new TextEncoder().encode(text + "\n");
}

async function writeHashed(path: string, parts: Uint8Array[]): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash("sha256");
  let bytes = 0;
  const handle = await open(path, "w");
  try {
    for (const p of parts) {
      await handle.writeFile(p);
      hash.update(p);
      bytes += p.length;
    }
  } finally {
    await handle.close();
  }
  return { bytes, sha256: hash.digest("hex") };
}

/**
 * Save a checkpoint directory atomically: the previous checkpoint at `dir` stays intact until the new one is
 * completely written and synced.
 *
 * @example
 * await saveCheckpoint("runs/trm-sudoku/last", {
 *   config: { architecture: "trm", config },
 *   tensors: { model: modelTensors, optimizer: optimizerTensors },
 *   state: { step: 1200 },
 * });
 */
export async function saveCheckpoint(dir: string, content: CheckpointContent): Promise<CheckpointManifest> {
  const files: [string, Uint8Array[]][] = [[CONFIG_FILE, [jsonBytes(content.config, join(dir, CONFIG_FILE))]]];
  if (content.state !== undefined) files.push([STATE_FILE, [jsonBytes(content.state, join(dir, STATE_FILE))]]);
  if (typeof content.tensors !== "object" || content.tensors === null) {
    throw new CheckpointError("tensors is not an object", { file: dir, field: "tensors", expected: "a record of file stem -> Map of tensors" });
  }
  for (const [stem, tensors] of Object.entries(content.tensors)) {
    const file = `${stem}.safetensors`;
    if (!STEM.test(stem)) throw new CheckpointError(`invalid file stem ${JSON.stringify(stem)}`, { file: dir, field: "tensors", expected: "letters, digits, _ and -" });
    if (!(tensors instanceof Map)) throw new CheckpointError("tensors are not a Map", { file: join(dir, file), expected: "Map<string, NamedTensor>" });
    try {
      const { head, parts } = safetensorsParts(tensors, { format: "pt" }, join(dir, file));
      files.push([file, [head, ...parts]]);
    } catch (e) {
      if (e instanceof DataFormatError) throw new CheckpointError(unlocated(e), { file: join(dir, file), field: e.location.field }, { cause: e });
      throw e;
    }
  }
  const manifest: CheckpointManifest = { format: CHECKPOINT_FORMAT, createdAt: new Date().toISOString(), files: {} };
  await writeDirectoryAtomic(dir, async (tmp) => {
    for (const [name, parts] of files) manifest.files[name] = await writeHashed(join(tmp, name), parts);
    await writeHashed(join(tmp, MANIFEST_FILE), [jsonBytes(manifest, join(dir, MANIFEST_FILE))]);
  });
  return manifest;
}

/** Options of {@link loadCheckpoint}. */
export interface LoadCheckpointOptions {
  /** Load only these tensor files (e.g. `["model"]` for inference); the others are not read. Default: all. */
  tensors?: readonly string[];
}

async function readChecked(dir: string, name: string, expected: { bytes: number; sha256: string }): Promise<Uint8Array> {
  const path = join(dir, name);
  let bytes: Uint8Array;
  try {
    // The size first: a file larger than the manifest says is refused without reading it into memory.
    const size = (await stat(path)).size;
    if (size > expected.bytes) throw new CheckpointError(`too long: ${size} bytes, the manifest says ${expected.bytes}`, { file: path });
    bytes = await readFile(path);
  } catch (cause) {
    if (cause instanceof CheckpointError) throw cause;
    throw new CheckpointError(`missing or unreadable: ${(cause as Error).message}`, { file: path }, { cause });
  }
  if (bytes.length !== expected.bytes) {
    throw new CheckpointError(`${bytes.length < expected.bytes ? "truncated" : "too long"}: ${bytes.length} bytes, the manifest says ${expected.bytes}`, { file: path });
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== expected.sha256) {
    throw new CheckpointError(`corrupted: sha256 ${sha256} differs from the manifest's ${expected.sha256}`, { file: path });
  }
  return bytes;
}

function parseJson(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new CheckpointError(`invalid JSON: ${(cause as Error).message}`, { file }, { cause });
  }
}

async function missingDirectoryHint(dir: string): Promise<string> {
  const abs = resolve(dir);
  try {
    const olds = (await readdir(dirname(abs))).filter((n) => n.startsWith(`${basename(abs)}.old-`));
    if (olds.length > 0) return `; an interrupted save left ${join(dirname(abs), olds[0])} (its writer still runs, or it could not be moved back)`;
  } catch {
    // The parent is missing too: nothing to hint at.
  }
  return "";
}

/** True when `dir` was missing because of an interrupted save and has been restored from its set-aside copy. */
async function recoveredInterruptedSave(dir: string): Promise<boolean> {
  try {
    await stat(dir);
    return false; // the directory exists: nothing was interrupted between the renames
  } catch {
    // missing: see whether an interrupted save set the previous checkpoint aside
  }
  try {
    await recoverInterruptedWrite(dir);
    return (await stat(join(dir, MANIFEST_FILE))).isFile();
  } catch {
    return false;
  }
}

/**
 * Load a checkpoint saved by {@link saveCheckpoint}, verifying every file it reads against the manifest (size, then
 * sha256). A missing, truncated or corrupted file is a {@link CheckpointError} naming it.
 *
 * @example
 * const { config, tensors, state } = await loadCheckpoint("runs/trm-sudoku/last");
 * const weights = tensors.model; // Map of reference names -> NamedTensor
 */
export async function loadCheckpoint(dir: string, options: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint> {
  const manifestPath = join(dir, MANIFEST_FILE);
  let manifestBytes: Uint8Array;
  try {
    manifestBytes = await readFile(manifestPath);
  } catch (cause) {
    // A save killed between moving the previous checkpoint aside and renaming the new one in leaves no directory:
    // put the previous one back (only leftovers of processes that are gone are touched) and read it.
    if (await recoveredInterruptedSave(dir)) {
      manifestBytes = await readFile(manifestPath).catch(() => new Uint8Array(0));
    } else {
      throw new CheckpointError(`not a checkpoint (no readable ${MANIFEST_FILE})${await missingDirectoryHint(dir)}`, { file: manifestPath }, { cause });
    }
  }
  const parsed = manifestSchema.safeParse(parseJson(manifestBytes, manifestPath));
  if (!parsed.success) {
    throw new CheckpointError(`invalid manifest: ${describeIssues(parsed.error.issues)}`, { file: manifestPath, expected: `format ${CHECKPOINT_FORMAT}` });
  }
  const manifest = parsed.data as CheckpointManifest;
  const entries = Object.entries(manifest.files);
  const configEntry = manifest.files[CONFIG_FILE];
  if (!configEntry) throw new CheckpointError(`the manifest lists no ${CONFIG_FILE}`, { file: manifestPath });
  const config = parseJson(await readChecked(dir, CONFIG_FILE, configEntry), join(dir, CONFIG_FILE));
  const stateEntry = manifest.files[STATE_FILE];
  const state = stateEntry ? parseJson(await readChecked(dir, STATE_FILE, stateEntry), join(dir, STATE_FILE)) : undefined;

  const stems = entries.filter(([name]) => name.endsWith(".safetensors")).map(([name]) => name.slice(0, -".safetensors".length));
  for (const want of options.tensors ?? []) {
    if (!stems.includes(want)) {
      throw new CheckpointError(`no tensor file ${JSON.stringify(want)}`, { file: manifestPath, expected: `one of ${stems.join(", ") || "(none)"}` });
    }
  }
  const loaded: [string, Map<string, NamedTensor>][] = [];
  for (const stem of stems) {
    if (options.tensors && !options.tensors.includes(stem)) continue;
    const name = `${stem}.safetensors`;
    const bytes = await readChecked(dir, name, manifest.files[name]);
    try {
      loaded.push([stem, decodeSafetensors(bytes, join(dir, name)).tensors]);
    } catch (e) {
      if (e instanceof DataFormatError) throw new CheckpointError(unlocated(e), { file: join(dir, name), field: e.location.field }, { cause: e });
      throw e;
    }
  }
  const tensors: Record<string, Map<string, NamedTensor>> = Object.fromEntries(loaded);
  const out: LoadedCheckpoint = { config, tensors, manifest };
  if (state !== undefined) out.state = state;
  return out;
}
