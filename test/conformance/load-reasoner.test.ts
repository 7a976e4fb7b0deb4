/**
 * core's loadReasoner against every registered architecture: a checkpoint in the Trainer's layout (config.json
 * with architecture + config, model.safetensors by state_dict name) loads into an equal model, and what cannot be
 * loaded (unregistered architecture, invalid config, missing/extra/misshapen tensors) is a CheckpointError that
 * names the file and field, leaving no tensors behind.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import {
  CheckpointError,
  createRegistry,
  loadReasoner,
  saveCheckpoint,
  tf,
  toNamedTensors,
  type NamedTensor,
  type RecursiveReasoner,
} from "@recurse/core";
import { architecturePlugins, builtInRegistry, testPreset } from "./support/built-in-registry";
import { useEngineAndScratch } from "./support/test-setup";
import { changedNames, snapshot } from "./support/weights";

const registry = builtInRegistry();
const cases = registry.architectures.list().map((spec) => ({ id: spec.id, preset: testPreset(spec) }));

const scratch = useEngineAndScratch("recurse-load-reasoner-");

/** Every parameter and buffer of a model as stored tensors, the way Trainer.save writes model.safetensors. */
function modelTensors(model: RecursiveReasoner): Map<string, NamedTensor> {
  return toNamedTensors(new Map([...model.parameters(), ...model.buffers()]));
}

let saved = 0;
async function writeCheckpoint(config: unknown, model: Map<string, NamedTensor>): Promise<string> {
  const dir = join(scratch(), `checkpoint-${saved++}`);
  await saveCheckpoint(dir, { config, tensors: { model } });
  return dir;
}

/** The CheckpointError a load fails with; also checks the failed load left no tensors. */
async function loadError(reg: typeof registry, dir: string): Promise<CheckpointError> {
  const before = tf.memory().numTensors;
  const err = await loadReasoner(reg, dir).catch((e: unknown) => e);
  expect(tf.memory().numTensors).toBe(before);
  expect(err).toBeInstanceOf(CheckpointError);
  return err as CheckpointError;
}

describe.each(cases)("loadReasoner: $id (preset $preset)", ({ id, preset }) => {
  // Seed 7 differs from the preset's, so an equal load cannot come from the registry's own initialisation.
  const source = () => registry.architectures.create(id, { preset, overrides: { seed: 7 } });

  it("rebuilds the architecture from config.json and loads every tensor exactly", async () => {
    const model = source();
    const dir = await writeCheckpoint({ architecture: id, config: model.config, step: 5, weights: "ema", note: "x" }, modelTensors(model));
    const before = tf.memory().numTensors;
    const loaded = await loadReasoner(registry, dir);
    expect(loaded.architecture).toBe(id);
    expect(loaded.config).toEqual(model.config);
    expect(loaded.step).toBe(5);
    expect(loaded.weights).toBe("ema");
    expect(loaded.dataset).toBeUndefined();
    expect(loaded.checkpointConfig.note).toBe("x");
    const expected = snapshot(model);
    expect([...snapshot(loaded.reasoner).keys()].sort()).toEqual([...expected.keys()].sort());
    expect(changedNames(snapshot(loaded.reasoner), expected)).toEqual([]);
    const fresh = registry.architectures.create(id, { preset });
    expect(changedNames(snapshot(fresh), expected).length).toBeGreaterThan(0);
    fresh.dispose();
    loaded.reasoner.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it("names the architecture and the plugins known when its plugin is not in the registry", async () => {
    const model = source();
    const dir = await writeCheckpoint({ architecture: id, config: model.config }, modelTensors(model));
    model.dispose();
    const others = architecturePlugins.filter((p) => !(p.architectures ?? []).some((a) => a.id === id));
    const partial = createRegistry();
    for (const p of others) partial.use(p);
    const err = await loadError(partial, dir);
    expect(err.message).toContain(`architecture '${id}' is not registered`);
    for (const p of others) expect(err.message).toContain(p.name);
    expect(err.location).toMatchObject({ file: join(dir, "config.json"), field: "architecture" });
  });

  it("refuses a saved config the schema no longer accepts, naming the field", async () => {
    const model = source();
    const dir = await writeCheckpoint({ architecture: id, config: { ...model.config, hiddenSize: -4 } }, modelTensors(model));
    model.dispose();
    const err = await loadError(registry, dir);
    expect(err.location.field).toBe("config.hiddenSize");
    expect(err.message).toContain(`config no longer valid for architecture '${id}'`);
  });

  it("refuses tensors that do not fit: misshapen, missing or extra", async () => {
    const model = source();
    const tensors = modelTensors(model);
    const config = { architecture: id, config: model.config };
    const weightsFile = (dir: string) => join(dir, "model.safetensors");

    // A larger vocabulary than the tensors were saved with: the token embedding no longer fits.
    const vocab = model.config.vocabSize as number;
    const bigger = await writeCheckpoint({ architecture: id, config: { ...model.config, vocabSize: vocab + 1 } }, tensors);
    const misshapen = await loadError(registry, bigger);
    expect(misshapen.message).toMatch(/has shape \[/);
    expect(misshapen.location.file).toBe(weightsFile(bigger));
    expect(misshapen.location.expected).toMatch(new RegExp(`${vocab + 1}`));

    const [firstName] = tensors.keys();
    const without = new Map(tensors);
    without.delete(firstName);
    const missingDir = await writeCheckpoint(config, without);
    const missing = await loadError(registry, missingDir);
    expect(missing.message).toContain(`missing tensor '${firstName}'`);
    expect(missing.location.file).toBe(weightsFile(missingDir));

    const withExtra = new Map(tensors).set("inner.not_a_layer.weight", { dtype: "F32", shape: [2], data: new Float32Array(2) });
    const extraDir = await writeCheckpoint(config, withExtra);
    const extra = await loadError(registry, extraDir);
    expect(extra.message).toContain(`the ${id} model does not have: inner.not_a_layer.weight`);
    expect(extra.location).toMatchObject({ file: weightsFile(extraDir), field: "inner.not_a_layer.weight" });
    model.dispose();
  });
});

it("refuses a checkpoint without an architecture or config", async () => {
  const noArch = await writeCheckpoint({ step: 1 }, new Map());
  expect((await loadError(registry, noArch)).location).toMatchObject({ file: join(noArch, "config.json"), field: "architecture" });
  const noConfig = await writeCheckpoint({ architecture: "trm" }, new Map());
  expect((await loadError(registry, noConfig)).location).toMatchObject({ file: join(noConfig, "config.json"), field: "config" });
});
