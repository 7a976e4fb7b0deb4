// Tensor engines: matmul 1024³ GFLOP/s, attention-shaped batched matmuls, and one training step (forward + backward
// + Adam) of the reference stack, per available engine (wasm, cpu, and tfjs-node / tfjs-node-gpu when installed).
// Each engine runs in a child process of its own, so its peak RSS and thread pools are its own.
//
// Reference stack (from tf ops directly): tokens [64, 81] -> embedding 256 -> 2 post-norm blocks (non-causal
// 8-head attention with RoPE, SwiGLU 256 -> 2x1024 -> 256, RMSNorm without weights, eps 1e-5) -> 11-class softmax
// cross-entropy. Linear weights are [out, in] and applied with transposeB, as in core's nn blocks.
//
// Flags: --json, --engines wasm,cpu (default: all that load), --steps N (timed steps, default 5), --no-cpu-step
// (the pure-JS cpu engine needs minutes for one step; it is timed once, without warm-up).
// Times are wall-clock medians (best in brackets); the machine is shared, so rerun when figures look noisy.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const name = "engine";

const SELF = fileURLToPath(import.meta.url);
const ALL_ENGINES = ["tfjs-node-gpu", "tfjs-node", "wasm", "cpu"];

// Reference stack dimensions.
const B = 64;
const L = 81;
const D = 256;
const H = 8;
const DH = D / H;
const FF = 1024;
const V = 11;
const BLOCKS = 2;

/** Matmul FLOPs of one step: forward, and twice that for backward. */
function stepFlops() {
  const T = B * L;
  const perBlock = 2 * T * (D * 3 * D + D * D + D * 2 * FF + FF * D) + 2 * (2 * B * H * L * L * DH);
  const forward = BLOCKS * perBlock + 2 * T * D * V;
  return 3 * forward;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function argValue(args, flag) {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Child: measure one engine.

async function measure(engine, opts) {
  const { initEngine, tf } = await import("@recurse/core");
  const info = await initEngine(engine);
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  // Wall-clock median and best, and the process's CPU time (all threads) per call: on a shared machine the CPU
  // time of a one-thread run is the steadier figure.
  const timeOf = (f, reps, warmup = 1) => {
    for (let i = 0; i < warmup; i++) f();
    const ts = [];
    const cs = [];
    for (let i = 0; i < reps; i++) {
      const c0 = cpuMs();
      const t0 = performance.now();
      f();
      ts.push(performance.now() - t0);
      cs.push(cpuMs() - c0);
    }
    return { ms: median(ts), best: Math.min(...ts), cpuMs: median(cs) };
  };
  const slow = info.backend === "cpu";
  // Wait for the product without copying it out (reading a 100 MB attention matrix would dominate the timing).
  const settle = (y) => void tf.slice(y, new Array(y.rank).fill(0), new Array(y.rank).fill(1)).dataSync();

  // matmul 1024³
  const n = 1024;
  const ma = tf.randomNormal([n, n]);
  const mb = tf.randomNormal([n, n]);
  const mm = timeOf(() => tf.tidy(() => settle(tf.matMul(ma, mb))), slow ? 1 : 7, slow ? 0 : 1);
  const matmulFlops = 2 * n ** 3;

  // attention-shaped batched products: scores [B·H, S, d]·[B·H, S, d]ᵀ and context [B·H, S, S]·[B·H, S, d]
  const attention = {};
  for (const [S, BH] of [
    [81, B * H],
    [900, 32],
  ]) {
    const q = tf.randomNormal([BH, S, DH]);
    const k = tf.randomNormal([BH, S, DH]);
    const p = tf.randomNormal([BH, S, S]);
    const flops = 2 * BH * S * S * DH;
    const reps = slow ? 1 : 5;
    const scores = timeOf(() => tf.tidy(() => settle(tf.matMul(q, k, false, true))), reps, slow ? 0 : 1);
    const context = timeOf(() => tf.tidy(() => settle(tf.matMul(p, k))), reps, slow ? 0 : 1);
    attention[S] = {
      shape: `[${BH}, ${S}, ${DH}]`,
      scoresGflops: flops / scores.ms / 1e6,
      contextGflops: flops / context.ms / 1e6,
    };
    tf.dispose([q, k, p]);
  }

  let step;
  if (!(slow && opts.noCpuStep)) {
    step = trainStepTiming(tf, slow ? 1 : opts.steps, slow ? 0 : 1, timeOf);
  }
  tf.dispose([ma, mb]);
  return {
    engine: info.engine,
    backend: info.backend,
    threads: info.threads,
    matmulGflops: matmulFlops / mm.ms / 1e6,
    matmulBestGflops: matmulFlops / mm.best / 1e6,
    attention,
    ...(step
      ? {
          stepMs: step.ms,
          stepBestMs: step.best,
          stepCpuMs: step.cpuMs,
          stepGflops: stepFlops() / step.ms / 1e6,
          peakShare: stepFlops() / step.ms / 1e6 / (matmulFlops / mm.ms / 1e6),
          loss: step.loss,
        }
      : {}),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

function trainStepTiming(tf, reps, warmup, timeOf) {
  let seed = 7;
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const init = (shape, fanIn) =>
    tf.variable(
      tf.tensor(
        Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (rand() * 2 - 1) / Math.sqrt(fanIn)),
        shape,
      ),
    );
  const params = {
    embed: init([V, D], 1),
    head: init([V, D], D),
    blocks: Array.from({ length: BLOCKS }, () => ({
      qkv: init([3 * D, D], D),
      out: init([D, D], D),
      gateUp: init([2 * FF, D], D),
      down: init([D, FF], FF),
    })),
  };
  const varList = [params.embed, params.head, ...params.blocks.flatMap((b) => [b.qkv, b.out, b.gateUp, b.down])];
  const tokens = tf.tensor2d(
    Int32Array.from({ length: B * L }, () => Math.floor(rand() * V)),
    [B, L],
    "int32",
  );
  const labels = tf.oneHot(
    tf.tensor1d(
      Int32Array.from({ length: B * L }, () => Math.floor(rand() * V)),
      "int32",
    ),
    V,
  );

  // RoPE tables [L, DH]: rotate-half layout, base 10000.
  const half = DH / 2;
  const angles = new Float32Array(L * DH);
  for (let p = 0; p < L; p++) {
    for (let i = 0; i < half; i++) {
      const a = p / 10000 ** ((2 * i) / DH);
      angles[p * DH + i] = a;
      angles[p * DH + i + half] = a;
    }
  }
  const cos = tf.cos(tf.tensor2d(angles, [L, DH]));
  const sin = tf.sin(tf.tensor2d(angles, [L, DH]));

  const linear = (x, w) => tf.matMul(x, w, false, true); // [T, in] x [out, in]ᵀ
  const rmsNorm = (x) => tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), 1e-5)));
  const rope = (x) => {
    // x [B, H, L, DH]
    const x1 = tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, half]);
    const x2 = tf.slice(x, [0, 0, 0, half], [-1, -1, -1, half]);
    const rotated = tf.concat([tf.neg(x2), x1], -1);
    return tf.add(tf.mul(x, cos), tf.mul(rotated, sin));
  };
  const block = (x, p) => {
    // x [B·L, D]
    const qkv = tf.transpose(tf.reshape(linear(x, p.qkv), [B, L, 3, H, DH]), [2, 0, 3, 1, 4]); // [3, B, H, L, DH]
    const [q, k, v] = tf.unstack(qkv);
    const scores = tf.mul(tf.matMul(rope(q), rope(k), false, true), 1 / Math.sqrt(DH)); // [B, H, L, L]
    const ctx = tf.matMul(tf.softmax(scores), v); // [B, H, L, DH]
    const attn = linear(tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [B * L, D]), p.out);
    const h = rmsNorm(tf.add(x, attn));
    const [gate, up] = tf.split(linear(h, p.gateUp), 2, -1); // [B·L, FF] each
    const ff = linear(tf.mul(tf.mul(gate, tf.sigmoid(gate)), up), p.down);
    return rmsNorm(tf.add(h, ff));
  };
  const lossFn = () => {
    let x = tf.gather(params.embed, tf.reshape(tokens, [-1])); // [B·L, D]
    for (const p of params.blocks) x = block(x, p);
    return tf.losses.softmaxCrossEntropy(labels, linear(x, params.head));
  };
  const optimizer = tf.train.adam(1e-3);
  let loss = NaN;
  const t = timeOf(
    () => {
      const l = optimizer.minimize(lossFn, true, varList);
      loss = l.dataSync()[0];
      l.dispose();
    },
    reps,
    warmup,
  );
  return { ...t, loss };
}

// ---------------------------------------------------------------------------------------------------------------
// Parent: one child per engine, then print or return the figures.

function fmt(x, digits = 1) {
  return x === undefined || Number.isNaN(x) ? "n/a" : x.toFixed(digits);
}

export async function run({ json, args = [] }) {
  const only = argValue(args, "--engines")?.split(",");
  const engines = only ?? ALL_ENGINES;
  const steps = Number(argValue(args, "--steps") ?? 5);
  const noCpuStep = args.includes("--no-cpu-step");
  const results = {};
  const skipped = {};
  for (const engine of engines) {
    const child = spawnSync(
      process.execPath,
      [SELF, "--child", engine, "--steps", String(steps), ...(noCpuStep ? ["--no-cpu-step"] : [])],
      { encoding: "utf8", maxBuffer: 16 << 20, env: process.env },
    );
    const line = child.stdout.trim().split("\n").pop() ?? "";
    if (child.status !== 0 || !line.startsWith("{")) {
      skipped[engine] = (child.stderr || child.stdout).trim().split("\n").pop();
      continue;
    }
    results[engine] = JSON.parse(line);
  }
  const auto = ALL_ENGINES.find((e) => results[e]);
  const d = auto ? results[auto] : {};
  if (!json) {
    for (const [engine, r] of Object.entries(results)) {
      const mm = `matmul 1024³ ${fmt(r.matmulGflops)} GFLOP/s [best ${fmt(r.matmulBestGflops)}]`;
      console.log(`${engine} (${r.threads} thread(s)): ${mm}`);
      for (const [S, a] of Object.entries(r.attention)) {
        const scores = `scores QKᵀ ${fmt(a.scoresGflops)} GFLOP/s`;
        console.log(`  attention S=${S} ${a.shape}: ${scores}, context PV ${fmt(a.contextGflops)} GFLOP/s`);
      }
      if (r.stepMs !== undefined) {
        const times = `${fmt(r.stepMs, 0)} ms [best ${fmt(r.stepBestMs, 0)}, CPU ${fmt(r.stepCpuMs, 0)}]`;
        const rate = `${fmt(r.stepGflops)} GFLOP/s effective, ${fmt(100 * r.peakShare, 0)}% of matmul peak`;
        console.log(`  train step (B ${B} x S ${L}, hidden ${D}, ${BLOCKS} blocks): ${times}, ${rate}`);
        console.log(`  loss after the timed steps ${fmt(r.loss, 4)}`);
      } else {
        console.log("  train step: skipped (--no-cpu-step)");
      }
      console.log(`  peak RSS ${fmt(r.peakRssMiB, 0)} MiB`);
    }
    for (const [engine, why] of Object.entries(skipped)) console.log(`${engine}: not available (${why})`);
  }
  return {
    engine: auto,
    matmulGflops: d.matmulGflops,
    stepMs: d.stepMs,
    stepGflops: d.stepGflops,
    peakShare: d.peakShare,
    peakRssMiB: d.peakRssMiB,
    threads: d.threads,
    engines: results,
  };
}

if (process.argv[1] === SELF && process.argv[2] === "--child") {
  const engine = process.argv[3];
  const args = process.argv.slice(4);
  const result = await measure(engine, {
    steps: Number(argValue(args, "--steps") ?? 5),
    noCpuStep: args.includes("--no-cpu-step"),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
