import { beforeAll, describe, expect, it } from "vitest";
import {
  bceWithLogits,
  initEngine,
  logStablemax,
  sequenceMeanLoss,
  softmaxCrossEntropy,
  stablemax,
  stablemaxCrossEntropy,
  tf,
} from "@recurse/core";
import { loadFixtureJson, loadFixtureTensors, maxRelError } from "../../../test-support/reference-fixtures";

const fx = loadFixtureTensors("losses", "tensors");
const scalars = loadFixtureJson("losses", "scalars");
const get = (name: string) => {
  const t = fx.get(name);
  if (!t) throw new Error(`fixture tensor ${name} missing`);
  return t;
};
const logitsT = () => tf.tensor(get("logits").data as Float32Array, get("logits").shape, "float32");
const labelsT = () => tf.tensor(get("labels").data as Int32Array, get("labels").shape, "int32");

/** Largest elementwise relative error, for values bounded away from 0. */
function maxElementRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    const denom = Math.abs(b[i]);
    worst = Math.max(worst, denom === 0 ? Math.abs(a[i]) : Math.abs(a[i] - b[i]) / denom);
  }
  return worst;
}

function gradOfSum(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): Float32Array {
  return tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(f(v)))(x).dataSync() as Float32Array).slice();
}

for (const backend of ["cpu", "wasm"] as const) {
  describe(`losses against the reference fixtures (${backend})`, () => {
    beforeAll(async () => {
      await initEngine(backend);
    });

    it("s(x) and log_stablemax match the float64 reference", () => {
      const before = tf.memory().numTensors;
      const [s, lp] = tf.tidy(() => {
        const x = logitsT();
        return [stablemax(x).dataSync().slice(), logStablemax(x).dataSync().slice()];
      });
      expect(maxElementRel(s, get("s_of_logits_f64").data)).toBeLessThan(1e-6);
      expect(maxRelError(lp, get("log_stablemax_f64").data)).toBeLessThan(1e-6);
      expect(tf.memory().numTensors).toBe(before);
    });

    it("stablemax cross-entropy matches every element within 1e-5 relative (ignored entry exactly 0)", () => {
      const before = tf.memory().numTensors;
      const ref = get("trm/stablemax_cross_entropy").data;
      expect(Array.from(get("hrm/stablemax_cross_entropy").data)).toEqual(Array.from(ref));
      const ce = tf.tidy(() => stablemaxCrossEntropy(logitsT(), labelsT()).dataSync().slice());
      expect(maxElementRel(ce, ref)).toBeLessThan(1e-5);
      expect(ce[4]).toBe(0); // label -100
      expect(tf.memory().numTensors).toBe(before);
    });

    it("the valid-mask variant equals treating masked labels as ignored", () => {
      const mask = get("trm/valid_mask_arg").data;
      const labels = Int32Array.from(get("labels").data, (v, i) => (mask[i] ? v : -100));
      const ce = tf.tidy(() =>
        stablemaxCrossEntropy(logitsT(), tf.tensor(labels, [2, 4], "int32")).dataSync().slice(),
      );
      expect(maxElementRel(ce, get("trm/stablemax_cross_entropy_with_valid_mask").data)).toBeLessThan(1e-5);
    });

    it("stablemax gradient is finite (also at x = 1) and matches the reference", () => {
      const before = tf.memory().numTensors;
      const x = logitsT();
      const labels = labelsT();
      const g = tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(stablemaxCrossEntropy(v, labels)))(x).dataSync().slice());
      expect(g.every(Number.isFinite)).toBe(true);
      expect(maxRelError(g, get("trm/stablemax_ce_sum_grad_wrt_logits").data)).toBeLessThan(1e-6);
      expect(maxElementRel(g, get("hrm/stablemax_ce_sum_grad_wrt_logits").data)).toBeLessThan(1e-5);
      tf.dispose([x, labels]);
      expect(tf.memory().numTensors).toBe(before);
    });

    it("softmax cross-entropy and its gradient match", () => {
      const x = logitsT();
      const labels = labelsT();
      const ce = tf.tidy(() => softmaxCrossEntropy(x, labels).dataSync().slice());
      expect(maxElementRel(ce, get("trm/softmax_cross_entropy").data)).toBeLessThan(1e-6);
      const g = gradOfSum((v) => softmaxCrossEntropy(v, labels), x);
      expect(maxRelError(g, get("trm/softmax_ce_sum_grad_wrt_logits").data)).toBeLessThan(1e-6);
      tf.dispose([x, labels]);
    });

    it("BCE with logits (sum) and its gradient match", () => {
      const x = tf.tensor1d(get("bce/logits").data as Float32Array);
      const t = tf.tensor1d(get("bce/targets").data as Float32Array);
      const value = tf.tidy(() => bceWithLogits(x, t).dataSync()[0]);
      expect(Math.abs(value - scalars.bce_with_logits_sum.value) / scalars.bce_with_logits_sum.value).toBeLessThan(1e-6);
      const g = gradOfSum((v) => bceWithLogits(v, t), x);
      expect(maxRelError(g, get("bce/grad_wrt_logits").data)).toBeLessThan(1e-6);
      const none = tf.tidy(() => Array.from(bceWithLogits(x, t, "none").dataSync()));
      expect(none.length).toBe(6);
      expect(none.reduce((a, b) => a + b, 0)).toBeCloseTo(value, 4);
      tf.dispose([x, t]);
    });

    it("the ACT-style LM loss (per-sequence mean, summed) matches act_style_lm_loss_on_these_logits", () => {
      const value = tf.tidy(() => {
        const labels = labelsT();
        return sequenceMeanLoss(stablemaxCrossEntropy(logitsT(), labels), labels).dataSync()[0];
      });
      const ref = scalars.act_style_lm_loss_on_these_logits.value;
      expect(Math.abs(value - ref) / ref).toBeLessThan(1e-6);
    });
  });
}

describe("loss edge cases", () => {
  beforeAll(async () => {
    await initEngine("cpu");
  });

  it("an all-ignored row divides by 1 and contributes 0", () => {
    const value = tf.tidy(() => {
      const labels = tf.tensor2d([[-100, -100], [1, 0]], [2, 2], "int32");
      const logits = tf.tensor3d([[[5, -5], [1, 2]], [[0, 0], [0, 0]]]);
      return sequenceMeanLoss(stablemaxCrossEntropy(logits, labels), labels).dataSync()[0];
    });
    expect(value).toBeCloseTo(Math.log(2), 6);
  });

  it("confident predictions keep relative precision (no cancellation)", () => {
    // label logit 1e4, others 0: CE = log1p(5/10001) computed in float64 here.
    const ce = tf.tidy(() =>
      stablemaxCrossEntropy(tf.tensor2d([[1e4, 0, 0, 0, 0, 0]]), tf.tensor1d([0], "int32")).dataSync()[0],
    );
    const exact = Math.log1p(5 / 10001);
    expect(Math.abs(ce - exact) / exact).toBeLessThan(1e-6);
  });

  it("the stablemax gradient equals a central finite difference in float64", () => {
    const x = [0.3, -0.7, 1.2, -2.5];
    const label = 2;
    const s = (v: number) => (v >= 0 ? v + 1 : 1 / (1 - v));
    const ce = (xs: number[]) => -Math.log(s(xs[label]) / xs.reduce((a, v) => a + s(v), 0));
    const g = tf.tidy(() =>
      tf.grad((v: tf.Tensor) => tf.sum(stablemaxCrossEntropy(v, tf.tensor1d([label], "int32"))))(
        tf.tensor2d([x]),
      ).dataSync().slice(),
    );
    for (let j = 0; j < x.length; j++) {
      const h = 1e-6;
      const up = x.slice();
      const down = x.slice();
      up[j] += h;
      down[j] -= h;
      expect(g[j]).toBeCloseTo((ce(up) - ce(down)) / (2 * h), 5);
    }
  });
});
