/**
 * Damaged and hostile checkpoints. Damage (bytes flipped, files truncated, emptied, deleted, swapped or replaced by
 * directories, the manifest edited) must be detected by loadCheckpoint with a CheckpointError naming the file, or
 * load exactly what was saved. A hostile checkpoint whose manifest was re-signed after editing its content must
 * still only produce typed errors, in loadCheckpoint and in Trainer.restore, and loading never runs code a
 * checkpoint names.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, truncate, unlink, writeFile } from "node:fs/promises";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CheckpointError, createRegistry, decodeSafetensors, encodeSafetensors, initEngine, loadCheckpoint, loadReasoner, saveCheckpoint, tf, Trainer, type NamedTensor } from "@recurse/core";
import { Ledger } from "./support/ledger";
import { applyByteEdits, applyJsonEdits, byteEdits, jsonEdits, sameBytes, seedOf } from "./support/mutate";
import { tinyRun } from "./support/tiny-model.mjs";

const ledger = new Ledger("checkpoints");
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recurse-ckpt-fault-"));
  await initEngine("cpu");
});
afterAll(async () => {
  ledger.print();
  await rm(dir, { recursive: true, force: true });
});

const content = () => ({
  config: { architecture: "trm", config: { hiddenSize: 8, halting: { maxSteps: 4 } }, step: 12 },
  tensors: {
    model: new Map<string, NamedTensor>([
      ["lm_head.weight", { dtype: "F32", shape: [2, 3], data: new Float32Array([1, -2, 3.5, 4, 5, -6]) }],
      ["q_head.bias", { dtype: "F32", shape: [2], data: new Float32Array([-5, 0.25]) }],
      ["__proto__", { dtype: "I32", shape: [1], data: new Int32Array([7]) }],
    ]),
    optimizer: new Map<string, NamedTensor>([
      ["step", { dtype: "I64", shape: [], data: new BigInt64Array([42n]) }],
      ["m.q_head.bias", { dtype: "F64", shape: [2], data: new Float64Array([0.5, -0.125]) }],
    ]),
  },
  state: { format: "recurse-trainer/1", step: 12, rng: [1, 2, 3, 4] },
});
const FILES = ["config.json", "model.safetensors", "optimizer.safetensors", "trainer_state.json", "manifest.json"];

async function resign(ckpt: string): Promise<void> {
  const manifest = JSON.parse(await readFile(join(ckpt, "manifest.json"), "utf8"));
  for (const name of Object.keys(manifest.files)) {
    const bytes = await readFile(join(ckpt, name));
    manifest.files[name] = { bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
  }
  await writeFile(join(ckpt, "manifest.json"), JSON.stringify(manifest));
}

describe("damaged checkpoints", () => {
  type Damage =
    | { kind: "bytes"; file: number; edits: Parameters<typeof applyByteEdits>[1] }
    | { kind: "truncate"; file: number; at: number }
    | { kind: "empty" | "delete" | "directory" | "append"; file: number }
    | { kind: "swap"; a: number; b: number }
    | { kind: "manifest"; edits: Parameters<typeof applyJsonEdits>[1] };
  const damage: fc.Arbitrary<Damage> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("bytes" as const), file: fc.integer({ min: 0, max: 4 }), edits: byteEdits(3) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("truncate" as const), file: fc.integer({ min: 0, max: 4 }), at: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom("empty" as const, "delete" as const, "directory" as const, "append" as const), file: fc.integer({ min: 0, max: 4 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("swap" as const), a: fc.integer({ min: 0, max: 3 }), b: fc.integer({ min: 0, max: 3 }) }).filter((s) => s.a !== s.b) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("manifest" as const), edits: jsonEdits(2) }) },
  );

  it("each damage is a CheckpointError naming the damaged file, or the checkpoint loads exactly as saved", async () => {
    const base = join(dir, "base");
    const saved = content();
    await saveCheckpoint(base, saved);
    let k = 0;
    await fc.assert(
      fc.asyncProperty(damage, async (d) => {
        const ckpt = join(dir, `case${k++ % 4}`);
        await rm(ckpt, { recursive: true, force: true });
        await cp(base, ckpt, { recursive: true });
        let named: string[] = [ckpt];
        let changed = true;
        if (d.kind === "swap") {
          const [a, b] = [join(ckpt, FILES[d.a]), join(ckpt, FILES[d.b])];
          const [ba, bb] = [await readFile(a), await readFile(b)];
          await writeFile(a, bb);
          await writeFile(b, ba);
          named = [a, b];
        } else if (d.kind === "manifest") {
          const file = join(ckpt, "manifest.json");
          const before = JSON.parse(await readFile(file, "utf8"));
          const after = applyJsonEdits(before, d.edits);
          await writeFile(file, JSON.stringify(after));
          changed = JSON.stringify(after) !== JSON.stringify(before);
          named = [ckpt];
        } else {
          const file = join(ckpt, FILES[d.file]);
          named = [file];
          const before = new Uint8Array(await readFile(file));
          if (d.kind === "bytes") {
            const after = applyByteEdits(before, d.edits);
            changed = !sameBytes(before, after);
            await writeFile(file, after);
          } else if (d.kind === "truncate") {
            const at = d.at % before.length;
            await truncate(file, at);
          } else if (d.kind === "empty") await truncate(file, 0);
          else if (d.kind === "append") await writeFile(file, new Uint8Array([...before, 0x20]));
          else if (d.kind === "delete") await unlink(file);
          else {
            await unlink(file);
            await mkdir(file);
          }
        }
        const loaded = await ledger.runAsync(`loadCheckpoint: ${d.kind === "manifest" ? "edited manifest" : "damaged file"}`, { names: named, fault: changed, mustReject: changed && d.kind !== "manifest" && !named[0].endsWith("manifest.json"), errorClass: CheckpointError }, () =>
          loadCheckpoint(ckpt),
        );
        if (!loaded) return;
        // Loaded despite the damage: only a harmless manifest edit may do that, and then what loads is what was saved.
        expect(loaded.config).toEqual(saved.config);
        expect(loaded.state).toEqual(saved.state);
        for (const [stem, tensors] of Object.entries(loaded.tensors)) expect(tensors, stem).toEqual(saved.tensors[stem as "model"]);
      }),
      { seed: seedOf("checkpoint damage"), numRuns: 200 },
    );
  });

  it("the model alone still loads when only the optimizer file is damaged, and not when the model file is", async () => {
    const base = join(dir, "partial");
    await saveCheckpoint(base, content());
    await writeFile(join(base, "optimizer.safetensors"), "garbage");
    const model = await ledger.runAsync("loadCheckpoint: model only", {}, () => loadCheckpoint(base, { tensors: ["model"] }));
    expect([...model!.tensors.model.keys()]).toEqual(["lm_head.weight", "q_head.bias", "__proto__"]);
    await ledger.runAsync("loadCheckpoint: model only", { names: join(base, "optimizer.safetensors"), fault: true, mustReject: true, errorClass: CheckpointError }, () => loadCheckpoint(base));
    await ledger.runAsync("loadCheckpoint: model only", { names: join(base, "manifest.json"), fault: true, mustReject: true, errorClass: CheckpointError }, () => loadCheckpoint(base, { tensors: ["ema"] }));
  });
});

function decodeCarry(bytes: Uint8Array): Map<string, NamedTensor> {
  return decodeSafetensors(bytes, "carry.safetensors").tensors;
}
function withTensor(base: Map<string, NamedTensor>, name: string, t: NamedTensor): Map<string, NamedTensor> {
  return new Map([...base].map(([k, v]) => [k, k === name ? t : v]));
}

describe("hostile checkpoints (content edited, manifest re-signed)", () => {
  it("re-signed safetensors of random or mutated bytes are a CheckpointError naming the file", async () => {
    const base = join(dir, "hostile-st");
    await saveCheckpoint(base, content());
    const valid = new Uint8Array(await readFile(join(base, "model.safetensors")));
    await fc.assert(
      fc.asyncProperty(fc.oneof(byteEdits(4).map((e) => applyByteEdits(valid, e)), fc.uint8Array({ maxLength: 200 })), async (bytes) => {
        await writeFile(join(base, "model.safetensors"), bytes);
        await resign(base);
        const loaded = await ledger.runAsync("loadCheckpoint: re-signed safetensors", { names: join(base, "model.safetensors"), fault: true, errorClass: CheckpointError }, () => loadCheckpoint(base));
        if (loaded) for (const t of loaded.tensors.model.values()) expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1));
      }),
      { seed: seedOf("hostile safetensors"), numRuns: 200 },
    );
  });

  it("Trainer.restore of a re-signed, edited trainer state or carry gives only typed errors and leaves the trainer untouched", async () => {
    const { reasoner, options } = tinyRun({ outDir: join(dir, "run"), steps: 20 });
    const trainer = new Trainer(options);
    for (let i = 0; i < 2; i++) trainer.trainStep();
    const base = await trainer.save(join(dir, "run", "checkpoint"));
    const state = JSON.parse(await readFile(join(base, "trainer_state.json"), "utf8"));
    const validCarry = new Uint8Array(await readFile(join(base, "carry.safetensors")));
    const { reasoner: fresh, options: freshOptions } = tinyRun({ outDir: join(dir, "run2"), steps: 20, modelSeed: 5 });
    const target = new Trainer(freshOptions);
    const freshWeights = () => [...fresh.parameters().values(), ...fresh.buffers().values()].map((v) => Array.from(v.dataSync() as Float32Array));
    const tensorsBefore = tf.memory().numTensors;
    const refusedLeavesTrainerAsItWas = async (parser: string, fault: boolean, mustReject = false) => {
      const before = { weights: freshWeights(), step: target.stepsDone };
      const ok = await ledger.runAsync(parser, { fault, mustReject, errorClass: CheckpointError }, () => target.restore(base).then(() => true));
      if (!ok) expect({ weights: freshWeights(), step: target.stepsDone }).toEqual(before);
    };
    await fc.assert(
      fc.asyncProperty(jsonEdits(2), async (edits) => {
        const edited = applyJsonEdits(state, edits);
        await writeFile(join(base, "trainer_state.json"), JSON.stringify(edited));
        await writeFile(join(base, "carry.safetensors"), validCarry);
        await resign(base);
        await refusedLeavesTrainerAsItWas("Trainer.restore: re-signed trainer_state.json", JSON.stringify(edited) !== JSON.stringify(state));
      }),
      { seed: seedOf("hostile trainer state"), numRuns: 200 },
    );
    // Carry tensors with the wrong names, shapes, dtypes or values, re-signed.
    const good = decodeCarry(validCarry);
    const carries: [string, Map<string, NamedTensor>][] = [
      ["empty", new Map()],
      ["y of the wrong shape", withTensor(good, "y", { dtype: "F32", shape: [1, 1, 1], data: new Float32Array(1) })],
      ["z as integers", withTensor(good, "z", { ...good.get("z")!, dtype: "I32", data: new Int32Array(good.get("z")!.data.length) } as NamedTensor)],
      ["puzzle id out of range", withTensor(good, "puzzle_ids", { dtype: "I32", shape: [4], data: new Int32Array([0, 1, 2, 999]) })],
      ["token beyond the vocabulary", withTensor(good, "inputs", { dtype: "I32", shape: [4, 5], data: new Int32Array(20).fill(6) })],
      ["halted flag 7", withTensor(good, "halted", { dtype: "I32", shape: [4], data: new Int32Array([7, 0, 0, 0]) })],
    ];
    for (const [label, carry] of carries) {
      await writeFile(join(base, "trainer_state.json"), JSON.stringify(state));
      await writeFile(join(base, "carry.safetensors"), encodeSafetensors(carry));
      await resign(base);
      await refusedLeavesTrainerAsItWas("Trainer.restore: re-signed carry", true, true);
      expect(label).toBeTruthy();
    }
    for (const t of [trainer, target]) t.dispose();
    for (const m of [reasoner, fresh]) m.dispose();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(tensorsBefore);
  });
});

describe("loading never executes checkpoint content", () => {
  it("a config.json naming module paths is returned as data; nothing it names is imported", async () => {
    const marker = join(dir, "imported.marker");
    const evil = join(dir, "evil.mjs");
    await writeFile(evil, `import { writeFileSync } from "node:fs"; writeFileSync(${JSON.stringify(marker)}, "ran");\nexport default { name: "evil" };\n`);
    const ckpt = join(dir, "evil-ckpt");
    const config = { architecture: evil, plugin: evil, plugins: [evil, `file://${evil}`], module: `file://${evil}`, toJSON: "x", __proto__x: 1 };
    const { reasoner, options } = tinyRun({ outDir: join(dir, "evil-run"), steps: 3 });
    const trainer = new Trainer({ ...options, checkpointConfig: config });
    trainer.trainStep();
    await trainer.save(ckpt);
    const loaded = await loadCheckpoint(ckpt);
    expect((loaded.config as Record<string, unknown>).plugin).toBe(evil);
    const again = new Trainer(tinyRun({ outDir: join(dir, "evil-run"), steps: 3 }).options);
    await again.restore(ckpt);
    // Rebuilding the model from the checkpoint looks its architecture up in the registry; it never imports it.
    await expect(loadReasoner(createRegistry(), ckpt)).rejects.toThrow(CheckpointError);
    expect(existsSync(marker)).toBe(false);
    for (const t of [trainer, again]) t.dispose();
    reasoner.dispose();
  });

  it("checkpoint, safetensors and trainer sources hold no eval, Function constructor or dynamic import", () => {
    const core = fileURLToPath(new URL("../../packages/core/src/", import.meta.url));
    const files = [
      ...readdirSync(join(core, "formats")).map((f) => join(core, "formats", f)),
      ...["trainer.ts", "trainer-checkpoint.ts", "named-tensors.ts", "sampler.ts", "load-reasoner.ts"].map((f) => join(core, "train", f)),
    ];
    for (const file of files) {
      const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      expect(text, file).not.toMatch(/\beval\s*\(|new\s+Function\s*\(|\bimport\s*\(|\brequire\s*\(/);
    }
    expect(files.length).toBeGreaterThan(10);
  });
});

