import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, readdir, rename, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CheckpointError, encodeSafetensors, loadCheckpoint, saveCheckpoint, type NamedTensor } from "@recurse/core";

function model(scale: number): Map<string, NamedTensor> {
  return new Map<string, NamedTensor>([
    ["inner.embed_tokens.embedding_weight", { dtype: "F32", shape: [3, 2], data: new Float32Array([1, 2, 3, 4, 5, 6].map((v) => v * scale)) }],
    ["inner.q_head.bias", { dtype: "F32", shape: [2], data: new Float32Array([-5, -5]) }],
  ]);
}

const optimizer = (): Map<string, NamedTensor> =>
  new Map<string, NamedTensor>([
    ["step", { dtype: "I64", shape: [], data: new BigInt64Array([42n]) }],
    ["m.inner.q_head.bias", { dtype: "F64", shape: [2], data: new Float64Array([0.25, -0.5]) }],
  ]);

async function rejectsCheckpoint(p: Promise<unknown>, ...parts: RegExp[]): Promise<CheckpointError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CheckpointError);
  for (const part of parts) expect((err as Error).message).toMatch(part);
  return err as CheckpointError;
}

describe("checkpoints", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "recurse-ckpt-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("saves config, tensors and state with a manifest of sizes and sha256, and loads them back", async () => {
    const dir = join(root, "a");
    const config = { architecture: "trm", config: { hiddenSize: 32, nested: { list: [1, 2] } } };
    const manifest = await saveCheckpoint(dir, { config, tensors: { model: model(1), optimizer: optimizer() }, state: { step: 7, rng: [1, 2, 3, 4] } });
    expect((await readdir(dir)).sort()).toEqual(["config.json", "manifest.json", "model.safetensors", "optimizer.safetensors", "trainer_state.json"]);
    expect(Object.keys(manifest.files).sort()).toEqual(["config.json", "model.safetensors", "optimizer.safetensors", "trainer_state.json"]);
    for (const [name, entry] of Object.entries(manifest.files)) {
      const bytes = await readFile(join(dir, name));
      expect(bytes.length).toBe(entry.bytes);
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(entry.sha256);
    }
    // model.safetensors is a plain safetensors file PyTorch tools can read (metadata format=pt as HF writes it).
    expect(Buffer.from(await readFile(join(dir, "model.safetensors"))).equals(Buffer.from(encodeSafetensors(model(1), { format: "pt" })))).toBe(true);
    expect(JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"))).toEqual(manifest);

    const loaded = await loadCheckpoint(dir);
    expect(loaded.config).toEqual(config);
    expect(loaded.state).toEqual({ step: 7, rng: [1, 2, 3, 4] });
    expect(loaded.tensors.model).toEqual(model(1));
    expect(loaded.tensors.optimizer).toEqual(optimizer());
    expect(loaded.manifest).toEqual(manifest);

    const only = await loadCheckpoint(dir, { tensors: ["model"] });
    expect(Object.keys(only.tensors)).toEqual(["model"]);
    await rejectsCheckpoint(loadCheckpoint(dir, { tensors: ["ema"] }), /no tensor file "ema"/, /one of model, optimizer/);
  });

  it("replaces an existing checkpoint only once the new one is complete", async () => {
    const dir = join(root, "b");
    await saveCheckpoint(dir, { config: { v: 1 }, tensors: { model: model(1) } });
    await saveCheckpoint(dir, { config: { v: 2 }, tensors: { model: model(2) } });
    const loaded = await loadCheckpoint(dir);
    expect(loaded.config).toEqual({ v: 2 });
    expect(loaded.state).toBeUndefined();
    expect(loaded.tensors.model.get("inner.embed_tokens.embedding_weight")!.data).toEqual(new Float32Array([2, 4, 6, 8, 10, 12]));
    // A save that fails validation leaves the previous one in place.
    const bad = new Map<string, NamedTensor>([["w", { dtype: "F32", shape: [2], data: new Float32Array(3) }]]);
    await rejectsCheckpoint(saveCheckpoint(dir, { config: { v: 3 }, tensors: { model: bad } }), /b[/\\]model\.safetensors: w: data has 3 elements/);
    await rejectsCheckpoint(saveCheckpoint(dir, { config: { v: 3n }, tensors: {} }), /config\.json: not serialisable as JSON/);
    await rejectsCheckpoint(saveCheckpoint(dir, { config: {}, tensors: { "../x": model(1) } }), /invalid file stem "\.\.\/x"/);
    expect((await loadCheckpoint(dir)).config).toEqual({ v: 2 });
    expect((await readdir(root)).filter((n) => n.startsWith("b"))).toEqual(["b"]);
  });

  it("detects truncated, corrupted and missing files, naming the file", async () => {
    const fresh = async (name: string) => {
      const dir = join(root, name);
      await saveCheckpoint(dir, { config: { ok: true }, tensors: { model: model(1), ema: model(3) }, state: { step: 1 } });
      return dir;
    };
    const d1 = await fresh("trunc");
    const size = (await readFile(join(d1, "ema.safetensors"))).length;
    await truncate(join(d1, "ema.safetensors"), size - 3);
    await rejectsCheckpoint(loadCheckpoint(d1), /ema\.safetensors: truncated: \d+ bytes, the manifest says \d+/);
    // Only the files asked for are read.
    expect((await loadCheckpoint(d1, { tensors: ["model"] })).tensors.model).toEqual(model(1));

    const d2 = await fresh("corrupt");
    const bytes = await readFile(join(d2, "model.safetensors"));
    bytes[bytes.length - 1] ^= 0x40;
    await writeFile(join(d2, "model.safetensors"), bytes);
    const err = await rejectsCheckpoint(loadCheckpoint(d2), /model\.safetensors: corrupted: sha256 [0-9a-f]{64} differs/);
    expect(err.location.file).toBe(join(d2, "model.safetensors"));

    const d3 = await fresh("missing");
    await rm(join(d3, "trainer_state.json"));
    await rejectsCheckpoint(loadCheckpoint(d3), /trainer_state\.json: missing or unreadable/);

    const d4 = await fresh("state");
    await writeFile(join(d4, "config.json"), '{"ok": tru}\n');
    await rejectsCheckpoint(loadCheckpoint(d4), /config\.json: (truncated|too long|corrupted)/);
  });

  it("validates the manifest and never trusts its file names", async () => {
    const dir = join(root, "manifest");
    await saveCheckpoint(dir, { config: {}, tensors: { model: model(1) } });
    const path = join(dir, "manifest.json");
    const manifest = JSON.parse(await readFile(path, "utf8"));

    await writeFile(path, JSON.stringify({ ...manifest, files: { ...manifest.files, "../../etc/passwd.json": { bytes: 1, sha256: "0".repeat(64) } } }));
    await rejectsCheckpoint(loadCheckpoint(dir), /manifest\.json: invalid manifest: files\.\.\.\/\.\.\/etc\/passwd\.json/);
    await writeFile(path, JSON.stringify({ ...manifest, format: "other/1" }));
    await rejectsCheckpoint(loadCheckpoint(dir), /invalid manifest: format/);
    const { "config.json": _c, ...noConfig } = manifest.files;
    await writeFile(path, JSON.stringify({ ...manifest, files: noConfig }));
    await rejectsCheckpoint(loadCheckpoint(dir), /the manifest lists no config\.json/);
    await writeFile(path, "{");
    await rejectsCheckpoint(loadCheckpoint(dir), /manifest\.json: invalid JSON/);
    await rm(path);
    await rejectsCheckpoint(loadCheckpoint(dir), /not a checkpoint \(no readable manifest\.json\)/);
  });

  it("reports a safetensors file that matches its hash but is malformed", async () => {
    const dir = join(root, "malformed");
    await saveCheckpoint(dir, { config: {}, tensors: { model: model(1) } });
    const bad = new Uint8Array(16);
    new DataView(bad.buffer).setBigUint64(0, 4n, true);
    bad.set(Buffer.from("[1] "), 8);
    await writeFile(join(dir, "model.safetensors"), bad);
    const path = join(dir, "manifest.json");
    const manifest = JSON.parse(await readFile(path, "utf8"));
    manifest.files["model.safetensors"] = { bytes: 16, sha256: createHash("sha256").update(bad).digest("hex") };
    await writeFile(path, JSON.stringify(manifest));
    await rejectsCheckpoint(loadCheckpoint(dir), /model\.safetensors: header: header is not a JSON object/);
  });

  it("restores the checkpoint an interrupted save set aside, and points at it while its writer still runs", async () => {
    const dir = join(root, "interrupted");
    await saveCheckpoint(dir, { config: { v: 1 }, tensors: {} });
    // Set aside by a live writer (this process): not touched, the error points at it.
    await rename(dir, `${dir}.old-${process.pid}-abcd`);
    await rejectsCheckpoint(loadCheckpoint(dir), new RegExp(`interrupted\\.old-${process.pid}-abcd \\(its writer still runs`));
    // Set aside by a writer that died between its two renames: loading puts it back.
    await rename(`${dir}.old-${process.pid}-abcd`, `${dir}.old-999999999-abcd`);
    expect((await loadCheckpoint(dir)).config).toEqual({ v: 1 });
    expect((await readdir(root)).filter((n) => n.startsWith("interrupted"))).toEqual(["interrupted"]);
    await mkdir(join(root, "unrelated"));
    await saveCheckpoint(dir, { config: { v: 2 }, tensors: {} });
    expect((await loadCheckpoint(dir)).config).toEqual({ v: 2 });
    expect((await readdir(root)).filter((n) => n.startsWith("interrupted"))).toEqual(["interrupted"]);
  });
});
