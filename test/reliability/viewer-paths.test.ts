/**
 * What the CLI's own viewer tests leave out: the viewer is unreachable from every address but 127.0.0.1, and
 * property-based traversal: URL paths built from dot segments spelled every way (raw, percent-encoded in any case,
 * double-encoded), encoded slashes and backslashes, NUL bytes, absolute and drive paths, and symlinks out of the run,
 * both through `safeFilePath` and as raw requests to a running viewer. Nothing outside the named run is ever served.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join, sep } from "node:path";
import { REPO } from "./support/child";
import { seedOf } from "./support/mutate";

interface CliViewer {
  startViewer(o: { root: string; traces: unknown; port?: number }): Promise<{ url: string; port: number; close(): Promise<void> }>;
  directoryTraceSource(root: string): unknown;
  safeFilePath(root: string, urlPath: string): { ok: true; file: string } | { ok: false; status: number; reason: string };
}
const cliBuilt = existsSync(join(REPO, "apps/cli/dist/index.js"));

const SECRET = "TOP SECRET: outside the run";
let base: string;
let root: string;
let cli: CliViewer;
let viewer: { url: string; port: number; close(): Promise<void> };
let counts = { safeFilePath: 0, requests: 0, refused: 0, served: 0 };

function get(port: number, path: string, host = `127.0.0.1:${port}`, method = "GET"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers: { host } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  if (!cliBuilt) return;
  cli = (await import("@recurse/cli" as string)) as CliViewer;
  base = mkdtempSync(join(tmpdir(), "recurse-viewer-"));
  root = join(base, "runs", "a");
  mkdirSync(join(root, "traces"), { recursive: true });
  mkdirSync(join(base, "runs", "b"), { recursive: true });
  writeFileSync(join(base, "secret.txt"), SECRET);
  writeFileSync(join(base, "runs", "b", "results.json"), SECRET);
  writeFileSync(join(root, "results.json"), '{"ok":true}');
  writeFileSync(join(root, "traces", "notes.txt"), "inside");
  symlinkSync(join(base, "secret.txt"), join(root, "link-out.txt"));
  symlinkSync(join(base, "runs", "b"), join(root, "other-run"));
  symlinkSync("../../secret.txt", join(root, "traces", "relative-out.txt"));
  symlinkSync(join(root, "results.json"), join(root, "link-in.json"));
  viewer = await cli.startViewer({ root, traces: cli.directoryTraceSource(root), port: 0 });
});
afterAll(async () => {
  await viewer?.close();
  if (base) rmSync(base, { recursive: true, force: true });
  if (cliBuilt) console.log(`viewer paths: ${counts.safeFilePath} safeFilePath cases, ${counts.requests} raw requests (${counts.served} served, ${counts.refused} refused); nothing outside the run served`);
});

/** One path segment, spelled to attack: dots, encoded separators, NUL, drive letters, names of things outside. */
const segment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("..", ".", "", "%2e%2e", "%2E%2e", ".%2e", "%2e.", "%252e%252e", "..%2f", "..%2F..", "%2f", "%5c", "..%5c..", "..\\..", "%00", "results.json%00.txt", "C:", "c%3A", "%2fetc%2fpasswd", "secret.txt", "link-out.txt", "other-run", "relative-out.txt", "link-in.json", "traces", "results.json", "notes.txt", "%zz", "%", "~", "runs", "b", "a") },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }).map(encodeURIComponent) },
);
const urlPath = fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => s.join("/"));

/** A served file is inside the run's real directory, whatever the path looked like. */
function inside(file: string): boolean {
  const real = realpathSync(root);
  return realpathSync(file).startsWith(real + sep);
}

describe.skipIf(!cliBuilt)("viewer reliability", () => {
  it("listens on 127.0.0.1 only: no other interface address (IPv4 or IPv6) accepts a connection", async () => {
    expect(viewer.url).toBe(`http://127.0.0.1:${viewer.port}/`);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.address !== "127.0.0.1" && !a.address.startsWith("fe80"))
      .map((a) => a!.address);
    for (const host of ["::1", ...others]) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host, port: viewer.port });
        socket.setTimeout(2000, () => (socket.destroy(), resolve("timeout")));
        socket.on("connect", () => (socket.destroy(), resolve("connected")));
        socket.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
      });
      expect(outcome, `${host}:${viewer.port}`).not.toBe("connected");
    }
  });

  it("safeFilePath never maps a URL path outside the run, however it is spelled", () => {
    fc.assert(
      fc.property(urlPath, (p) => {
        counts.safeFilePath++;
        const r = cli.safeFilePath(root, p);
        if (r.ok) {
          expect(inside(r.file), `${p} -> ${r.file}`).toBe(true);
          expect(readFileSync(r.file, "utf8")).not.toContain(SECRET);
        } else {
          expect([400, 403, 404]).toContain(r.status);
        }
      }),
      { seed: seedOf("viewer safeFilePath"), numRuns: 3000 },
    );
  });

  it("raw requests with attacking paths never return anything from outside the run", async () => {
    const prefixes = ["/files/", "/assets/", "/api/traces/", "/", "//", "/files//", "/files/%2e%2e/", "/%2e%2e/files/"];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...prefixes), urlPath, fc.constantFrom("", "?x=../../secret.txt", "#..", "?"), fc.constantFrom("GET", "HEAD"), async (prefix, p, suffix, method) => {
        counts.requests++;
        const res = await get(viewer.port, prefix + p + suffix, undefined, method);
        expect(res.body).not.toContain(SECRET);
        if (res.status === 200) counts.served++;
        else {
          counts.refused++;
          expect(res.status, prefix + p).toBeGreaterThanOrEqual(400);
        }
      }),
      { seed: seedOf("viewer requests"), numRuns: 400 },
    );
    // The run's own files are still served.
    expect((await get(viewer.port, "/files/results.json")).body).toBe('{"ok":true}');
    expect((await get(viewer.port, "/files/traces/notes.txt")).body).toBe("inside");
    expect((await get(viewer.port, "/files/link-in.json")).status).toBe(200);
  });

  it("other methods and foreign Host headers are refused", async () => {
    for (const method of ["POST", "PUT", "DELETE", "OPTIONS", "TRACE"]) {
      expect((await get(viewer.port, "/files/results.json", undefined, method)).status, method).toBe(405);
    }
    for (const host of ["evil.example", `evil.example:${viewer.port}`, `127.0.0.1.evil.example:${viewer.port}`, `127.0.0.2:${viewer.port}`, `[::1]:${viewer.port}`]) {
      expect((await get(viewer.port, "/files/results.json", host)).status, host).toBe(403);
    }
    // HTTP/1.0 without any Host header.
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port: viewer.port }, () => socket.end("GET /files/results.json HTTP/1.0\r\n\r\n"));
      let text = "";
      socket.setEncoding("utf8").on("data", (c) => (text += c)).on("end", () => resolve(text)).on("error", reject);
    });
    expect(raw.split("\r\n")[0]).toMatch(/ 403 /);
  });
});
