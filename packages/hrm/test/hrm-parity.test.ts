/**
 * Forward parity with the reference HRM (fixtures/reference/hrm) at eval step 1, traced: reference weights loaded
 * by state_dict name, one supervision step run by core's segment() (so the engine's update order is what is
 * checked), every level call (L, L, H, L, L, H) and the first call's block internals captured by the forward
 * hook, and the RoPE tables. The 3-step rollouts and training steps are in hrm-supervision-parity.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initEngine, segment, tf } from "@recurse/core";
import { loadFixtureTensors, maxRelError, printErrorTable, type FixtureTensor } from "../../../test-support/reference-fixtures";
import { fixtureModel } from "./fixture-model";

beforeAll(async () => {
  await initEngine("cpu");
});

const errors: Record<string, number> = {};
const worst = (group: string, e: number) => (errors[group] = Math.max(errors[group] ?? 0, e));
afterAll(() => printErrorTable("hrm eval step 1 (traced)", errors, 30));

const f32 = (t: FixtureTensor) => t.data as Float32Array;

/** One-step tolerance: the fixtures README says 2e-5 is achievable for hrm. */
const TOL = 2e-5;

describe("HRM forward parity, eval step 1", () => {
  it("RoPE tables equal the reference's cos/sin over the 17 positions", () => {
    const before = tf.memory().numTensors;
    const ref = loadFixtureTensors("hrm", "tensors");
    const model = fixtureModel();
    const rope = model.io.rope!;
    expect(rope.cos.shape).toEqual(ref.get("rope/cos")!.shape);
    const eCos = maxRelError(rope.cos.dataSync(), f32(ref.get("rope/cos")!));
    const eSin = maxRelError(rope.sin.dataSync(), f32(ref.get("rope/sin")!));
    worst("rope cos/sin", Math.max(eCos, eSin));
    expect(eCos).toBeLessThanOrEqual(1e-6);
    expect(eSin).toBeLessThanOrEqual(1e-6);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("input embeddings, level calls L,L,H,L,L,H, first-call internals, logits, q, carry", () => {
    const before = tf.memory().numTensors;
    const ref = loadFixtureTensors("hrm", "tensors");
    const model = fixtureModel();

    const levelCalls: { name: string; value: Float32Array }[] = [];
    const internals = new Map<string, Float32Array>();
    model.hook = (name, v) => {
      if (name === "inner.L_level" || name === "inner.H_level") {
        levelCalls.push({ name: name.slice("inner.".length), value: v.dataSync() as Float32Array });
      } else if (levelCalls.length === 0) {
        internals.set(name.slice("inner.".length), v.dataSync() as Float32Array);
      }
    };

    const inputsRef = ref.get("batch/inputs")!;
    const [b, l] = inputsRef.shape;
    const inputs = tf.tensor2d(inputsRef.data as Int32Array, [b, l], "int32");
    const ids = tf.tensor1d(ref.get("batch/puzzle_identifiers")!.data as Int32Array, "int32");
    const rows = tf.gather(model.puzzleEmbedding!.table, ids) as tf.Tensor2D; // eval: weights[ids]
    const x = model.embed(inputs, rows);
    const eEmb = maxRelError(x.dataSync(), f32(ref.get("eval/step1/trace/input_embeddings")!));
    worst("input_embeddings", eEmb);
    expect(eEmb).toBeLessThanOrEqual(1e-6);

    const initial = model.initialState(b);
    const { state, readout } = segment(model, x, initial, { training: false });
    model.hook = undefined;

    const check = (group: string, got: ArrayLike<number>, name: string) => {
      const e = maxRelError(got, f32(ref.get(name)!));
      worst(group, e);
      expect(e, name).toBeLessThanOrEqual(TOL);
    };
    const traced = [...ref.keys()].filter((k) => k.startsWith("eval/step1/trace/level_call")).sort();
    expect(traced.map((k) => k.replace(/^.*_(L|H)_level$/, "$1"))).toEqual(["L", "L", "H", "L", "L", "H"]);
    expect(levelCalls.map((c) => c.name)).toEqual(traced.map((k) => k.replace(/^.*level_call\d\d_/, "")));
    levelCalls.forEach((c, i) => check(`level call ${c.name}`, c.value, traced[i]));

    const internalNames = [...ref.keys()].filter((k) => k.startsWith("eval/step1/trace/first_level_call/"));
    expect(internalNames.length).toBe(3);
    for (const name of internalNames) {
      const key = name.slice("eval/step1/trace/first_level_call/".length);
      expect(internals.has(key), key).toBe(true);
      const part = key.replace(/^L_level\.layers\.\d\.?/, "") || "block output";
      check(`first call ${part}`, internals.get(key)!, name);
    }

    check("logits", readout.logits.dataSync(), "eval/step1/logits");
    check("q_halt", readout.halt.dataSync(), "eval/step1/q_halt_logits");
    check("q_continue", readout.continue!.dataSync(), "eval/step1/q_continue_logits");
    check("z_H", state.y.dataSync(), "eval/step1/z_H");
    check("z_L", state.z.dataSync(), "eval/step1/z_L");

    tf.dispose([inputs, ids, rows, x, initial.y, initial.z, state.y, state.z, readout.logits, readout.halt, readout.continue!]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
