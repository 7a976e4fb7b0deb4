import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startViewer, type ViewerServer } from "../src/viewer/server";
import { directoryTraceSource } from "../src/viewer/trace-source";
import { safeFilePath } from "../src/viewer/safe-path";
import { TRACE_SCHEMA } from "../src/trace/trace-schema";

/** A raw request: Node sends `path` exactly as given, so `..` segments reach the server unnormalised. */
function get(port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET", headers: { host } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

let base: string;
let root: string;
let viewer: ViewerServer;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), "recurse-view-"));
  root = join(base, "results");
  mkdirSync(join(root, "traces"), { recursive: true });
  writeFileSync(join(base, "secret.txt"), "TOP SECRET\n");
  writeFileSync(join(root, "results.json"), JSON.stringify({ ok: true }));
  const trace = {
    schema: TRACE_SCHEMA, createdAt: "", model: { name: "m" }, dataset: { name: "d", kind: "sudoku", split: "test", metadata: {} },
    render: { kind: "sudoku", rows: 2, cols: 2, box: [1, 2], symbols: {}, empty: [0, 1] }, numSteps: 1, evaluatedExamples: 1,
    stepAccuracy: [1], examples: [{ index: 0, puzzleId: 0, inputs: [1, 2, 3, 1], labels: [2, 2, 3, 3], stepsTaken: 1, steps: [{ step: 1, prediction: [2, 2, 3, 3], qHalt: 1, correct: true }] }],
  };
  writeFileSync(join(root, "traces", "m--d.json"), JSON.stringify(trace));
  writeFileSync(join(root, "traces", "not-a-trace.json"), JSON.stringify({ schema: "other" }));
  symlinkSync(join(base, "secret.txt"), join(root, "link-out.txt"));
  symlinkSync(base, join(root, "dir-out"));
  symlinkSync(join(root, "results.json"), join(root, "link-in.json"));
  viewer = await startViewer({ root, traces: directoryTraceSource(root), port: 0 });
});

afterAll(async () => {
  await viewer?.close();
  rmSync(base, { recursive: true, force: true });
});

describe("viewer server", () => {
  it("listens on 127.0.0.1 and serves its page with a strict CSP, its assets and chart.js", async () => {
    expect(viewer.url).toBe(`http://127.0.0.1:${viewer.port}/`);
    const page = await get(viewer.port, "/");
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script src="/assets/chart.umd.min.js">');
    expect(String(page.headers["content-security-policy"])).toContain("script-src 'self'");
    const chart = await get(viewer.port, "/assets/chart.umd.min.js");
    expect(chart.status).toBe(200);
    expect(chart.body).toMatch(/Chart\.js v4/);
    expect((await get(viewer.port, "/assets/viewer.js")).status).toBe(200);
  });

  it("lists only valid traces and serves them by id", async () => {
    const info = JSON.parse((await get(viewer.port, "/api/info")).body);
    expect(info.traces.map((t: { id: string }) => t.id)).toEqual(["m--d"]);
    expect(info.traces[0]).toMatchObject({ model: "m", dataset: "d", kind: "sudoku", examples: 1, numSteps: 1, finalAccuracy: 1 });
    const trace = JSON.parse((await get(viewer.port, "/api/traces/m--d")).body);
    expect(trace.examples[0].labels).toEqual([2, 2, 3, 3]);
    expect((await get(viewer.port, "/api/traces/not-a-trace")).status).toBe(404);
    expect((await get(viewer.port, "/api/traces/..%2Fresults")).status).toBe(404);
  });

  it("serves files inside the directory, including links that stay inside", async () => {
    expect(JSON.parse((await get(viewer.port, "/files/results.json")).body)).toEqual({ ok: true });
    expect((await get(viewer.port, "/files/link-in.json")).status).toBe(200);
    expect((await get(viewer.port, "/files/traces/m--d.json")).status).toBe(200);
  });

  it("refuses traversal: ../, encoded dots and slashes, absolute paths, symlinks out, other assets", async () => {
    const attempts = [
      "/files/../secret.txt",
      "/files/traces/../../secret.txt",
      "/files/%2e%2e/secret.txt",
      "/files/%2E%2E%2Fsecret.txt",
      "/files/..%5csecret.txt",
      "/files//etc/passwd",
      "/files/%2fetc%2fpasswd",
      "/files/link-out.txt",
      "/files/dir-out/secret.txt",
      "/files/results.json%00.txt",
      "/../secret.txt",
      "/assets/../../../secret.txt",
      "/assets/index.html",
      "/etc/passwd",
    ];
    for (const path of attempts) {
      const res = await get(viewer.port, path);
      expect([403, 404], `${path} -> ${res.status}`).toContain(res.status);
      expect(res.body).not.toContain("TOP SECRET");
    }
    expect((await get(viewer.port, "/files/%zz")).status).toBe(400);
  });

  it("refuses requests for another Host (DNS rebinding)", async () => {
    expect((await get(viewer.port, "/api/info", "evil.example:80")).status).toBe(403);
    expect((await get(viewer.port, "/api/info", `localhost:${viewer.port}`)).status).toBe(200);
  });
});

describe("safeFilePath", () => {
  it("maps plain segments and refuses dot segments however they are spelled", () => {
    expect(safeFilePath(root, "traces/m--d.json")).toEqual({ ok: true, file: join(root, "traces", "m--d.json") });
    for (const p of ["..", "a/../..", "%2e%2E", ".", "a//b", "C:%5cwin", "%00"]) {
      expect(safeFilePath(root, p).ok, p).toBe(false);
    }
  });
});
