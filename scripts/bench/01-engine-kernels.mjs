// The wasm engine's fixes one by one: each kernel the engine replaces or adds, timed on tfjs's own wasm kernels
// (RECURSE_WASM_KERNELS=none, one thread: the "before"), on the engine's kernels with one thread, and with one
// thread per core. Each configuration runs in a child process of its own.
//
// Flags: --json, --reps N (timed repetitions per op, default 5; tfjs's slow kernels get fewer).
// Figures are wall-clock medians (best in brackets) and the process's CPU time per call; the machine may be shared,
// so rerun when they look noisy.
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";

export const name = "engine-kernels";

const SELF = fileURLToPath(import.meta.url);

const CONFIGS = [
  { label: "tfjs wasm, 1 thread", env: { RECURSE_WASM_KERNELS: "none", RECURSE_WASM_THREADS: "1" }, stock: true },
  { label: "engine, 1 thread", env: { RECURSE_WASM_THREADS: "1" } },
  { label: "engine, all cores", env: {} },
];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function measure(reps, stock) {
  const { initEngine, tf } = await import("@recurse/core");
  const info = await initEngine("wasm");
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const settle = (y) => void tf.slice(y, new Array(y.rank).fill(0), new Array(y.rank).fill(1)).dataSync();
  const ops = {};
  const time = (label, f, { flops, bytes, slowOnStock = false } = {}) => {
    const n = stock && slowOnStock ? 1 : reps;
    try {
      tf.tidy(f);
      const ws = [];
      const cs = [];
      for (let i = 0; i < n; i++) {
        const c0 = cpuMs();
        const t0 = performance.now();
        tf.tidy(f);
        ws.push(performance.now() - t0);
        cs.push(cpuMs() - c0);
      }
      const ms = median(ws);
      ops[label] = {
        ms,
        bestMs: Math.min(...ws),
        cpuMs: median(cs),
        ...(flops ? { gflops: flops / ms / 1e6 } : {}),
        ...(bytes ? { gbps: bytes / ms / 1e6 } : {}),
      };
    } catch (err) {
      ops[label] = { error: String(err?.message ?? err).split("\n")[0] };
    }
  };

  const n = 1024;
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const mmFlops = 2 * n ** 3;
  time("matmul 1024", () => settle(tf.matMul(a, b)), { flops: mmFlops });
  time("matmul 1024 transposeA", () => settle(tf.matMul(a, b, true, false)), { flops: mmFlops, slowOnStock: true });
  time("matmul 1024 transposeB", () => settle(tf.matMul(a, b, false, true)), { flops: mmFlops, slowOnStock: true });
  // A linear layer's weight gradient: dW = dYᵀ·X over 64·81 tokens.
  const x = tf.randomNormal([5184, 256]);
  const dy = tf.randomNormal([5184, 1024]);
  time("weight gradient [5184,1024]ᵀ·[5184,256]", () => settle(tf.matMul(dy, x, true, false)), {
    flops: 2 * 5184 * 1024 * 256,
    slowOnStock: true,
  });
  for (const [S, BH] of [
    [81, 512],
    [900, 32],
  ]) {
    const q = tf.randomNormal([BH, S, 32]);
    const k = tf.randomNormal([BH, S, 32]);
    const p = tf.randomNormal([BH, S, S]);
    const flops = 2 * BH * S * S * 32;
    time(`attention S=${S} scores QKᵀ`, () => settle(tf.matMul(q, k, false, true)), { flops, slowOnStock: true });
    time(`attention S=${S} context PV`, () => settle(tf.matMul(p, k)), { flops, slowOnStock: true });
    time(`attention S=${S} grad PᵀdO`, () => settle(tf.matMul(p, q, true, false)), { flops, slowOnStock: true });
  }
  const heads = tf.randomNormal([64, 81, 3, 8, 32]);
  const moved = 2 * 4 * heads.size;
  time("transpose [64,81,3,8,32] -> [3,64,8,81,32]", () => settle(tf.transpose(heads, [2, 0, 3, 1, 4])), {
    bytes: moved,
  });
  time("transpose [5184,1024]", () => settle(tf.transpose(dy)), { bytes: 2 * 4 * dy.size });
  const wide = tf.randomNormal([5184, 2048]);
  time("split [5184,2048] in two along the last axis", () => tf.split(wide, 2, 1).forEach(settle), {
    bytes: 2 * 4 * wide.size,
  });
  time("concat 2 x [64,8,81,16] along the last axis", () => settle(tf.concat([tf.slice(heads, 0, 1), heads], 0)), {});
  const table = tf.randomNormal([11, 256]);
  const tokens = tf.tensor1d(
    Int32Array.from({ length: 5184 }, (_, i) => (i * 7) % 11),
    "int32",
  );
  time("embedding lookup gather [11,256] x 5184", () => settle(tf.gather(table, tokens)), {});
  time(
    "embedding gradient (UnsortedSegmentSum)",
    () => settle(tf.grad((t) => tf.sum(tf.gather(t, tokens)))(table)),
    {},
  );
  time(
    "gradient through greater()",
    () => settle(tf.grad((t) => tf.sum(tf.mul(tf.cast(tf.greater(t, 0), "float32"), t)))(table)),
    {},
  );
  return { threads: info.threads, ops };
}

function fmtOp(r) {
  if (!r) return "n/a";
  if (r.error) return `fails (${r.error.slice(0, 60)})`;
  const rate =
    r.gflops !== undefined
      ? ` ${r.gflops.toFixed(1)} GFLOP/s`
      : r.gbps !== undefined
      ? ` ${r.gbps.toFixed(2)} GB/s`
      : "";
  return `${r.ms.toFixed(1)} ms [best ${r.bestMs.toFixed(1)}, CPU ${r.cpuMs.toFixed(0)}]${rate}`;
}

export async function run({ json, args = [] }) {
  const i = args.indexOf("--reps");
  const reps = i >= 0 ? Number(args[i + 1]) : 5;
  const results = {};
  for (const config of CONFIGS) {
    if (config.label === "engine, all cores" && availableParallelism() < 2) continue;
    const child = spawnSync(process.execPath, [SELF, "--child", String(reps), config.stock ? "stock" : "engine"], {
      encoding: "utf8",
      maxBuffer: 16 << 20,
      env: { ...process.env, ...config.env },
    });
    const line = child.stdout.trim().split("\n").pop() ?? "";
    results[config.label] = line.startsWith("{")
      ? JSON.parse(line)
      : { error: (child.stderr || line).trim().split("\n").pop() };
  }
  if (!json) {
    const labels = Object.keys(results);
    const opNames = [...new Set(labels.flatMap((l) => Object.keys(results[l].ops ?? {})))];
    for (const l of labels) console.log(`[${l}] threads: ${results[l].threads ?? results[l].error}`);
    for (const op of opNames) {
      console.log(op);
      for (const l of labels) console.log(`  ${l.padEnd(22)} ${fmtOp(results[l].ops?.[op])}`);
    }
  }
  return { engineKernels: results };
}

if (process.argv[1] === SELF && process.argv[2] === "--child") {
  const result = await measure(Number(process.argv[3]), process.argv[4] === "stock");
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
