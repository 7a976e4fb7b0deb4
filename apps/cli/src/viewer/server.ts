import { createReadStream, existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError } from "../errors";
import { packageDir } from "../util/versions";
import { safeFilePath } from "./safe-path";
import type { TraceSource } from "./trace-source";

export interface ViewerOptions {
  /** The run or results directory whose files may be served under /files/. */
  root: string;
  traces: TraceSource;
  /** 0 or undefined: a free port. */
  port?: number;
  /** Title shown on the page. */
  title?: string;
}

export interface ViewerServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".jsonl": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Directory of the page's own files: dist/viewer-assets when built, src/viewer/assets when run from source. */
export function viewerAssetsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, "viewer-assets"), join(here, "assets"), join(here, "..", "viewer-assets")]) {
    if (existsSync(join(candidate, "index.html"))) return candidate;
  }
  throw new CliError(`viewer assets not found next to ${here} (rebuild @recurse/cli)`);
}

function chartJsFile(): string {
  const dir = packageDir("chart.js");
  const file = dir && join(dir, "dist", "chart.umd.min.js");
  if (!file || !existsSync(file)) throw new CliError("chart.js is not installed (a dependency of @recurse/cli); reinstall it");
  return file;
}

/**
 * Serve the trace viewer on 127.0.0.1 only. It serves its own page and assets, chart.js from node_modules, the
 * traces of `options.traces`, and regular files inside `options.root`; nothing else (see {@link safeFilePath}).
 * Requests whose Host is not this loopback address are refused, which defeats DNS-rebinding pages.
 *
 * @example
 * ```ts
 * const viewer = await startViewer({ root: "results", traces: directoryTraceSource("results") });
 * console.log(viewer.url);
 * await viewer.close();
 * ```
 */
export async function startViewer(options: ViewerOptions): Promise<ViewerServer> {
  const assetsDir = viewerAssetsDir();
  const assets: Record<string, string> = {
    "/assets/viewer.js": join(assetsDir, "viewer.js"),
    "/assets/viewer.css": join(assetsDir, "viewer.css"),
    "/assets/chart.umd.min.js": chartJsFile(),
  };
  const indexHtml = readFileSync(join(assetsDir, "index.html"), "utf8").replaceAll(
    "{{TITLE}}",
    escapeHtml(options.title ?? "recurse viewer"),
  );
  let port = 0;

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Referrer-Policy", "no-referrer");
    const host = req.headers.host ?? "";
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(res, 403, "forbidden host\n");
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "method not allowed\n");
    const raw = req.url ?? "/";
    const path = raw.split("?")[0];
    if (!path.startsWith("/")) return send(res, 400, "bad request\n");
    if (path === "/" || path === "/index.html") {
      res.setHeader("Content-Security-Policy", PAGE_CSP);
      return send(res, 200, indexHtml, TYPES[".html"]);
    }
    if (path === "/favicon.ico") return send(res, 204, "");
    const asset = assets[path];
    if (asset) return sendFile(res, asset);
    if (path === "/api/info") {
      return sendJson(res, { title: options.title ?? "", traces: options.traces.list(), message: options.traces.message ?? null });
    }
    if (path.startsWith("/api/traces/")) {
      let id: string;
      try {
        id = decodeURIComponent(path.slice("/api/traces/".length));
      } catch {
        return send(res, 400, "bad request\n");
      }
      const trace = /^[A-Za-z0-9._-]+$/.test(id) ? options.traces.get(id) : undefined;
      return trace ? sendJson(res, trace) : send(res, 404, "no such trace\n");
    }
    if (path.startsWith("/files/")) {
      const found = safeFilePath(options.root, path.slice("/files/".length));
      if (!found.ok) return send(res, found.status, `${found.reason}\n`);
      return sendFile(res, found.file);
    }
    return send(res, 404, "not found\n");
  };

  const server = createServer(handler);
  await new Promise<void>((resolvePromise, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "EADDRINUSE" ? new CliError(`port ${options.port} is in use; pass another --port or omit it to pick a free one`) : err),
    );
    server.listen(options.port ?? 0, "127.0.0.1", () => resolvePromise());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections?.();
        server.close(() => resolveClose());
      }),
  };
}

function send(res: ServerResponse, status: number, body: string, type = "text/plain; charset=utf-8"): void {
  res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
  res.end(res.req.method === "HEAD" ? undefined : body);
}

function sendJson(res: ServerResponse, value: unknown): void {
  send(res, 200, JSON.stringify(value), TYPES[".json"]);
}

function sendFile(res: ServerResponse, file: string): void {
  res.writeHead(200, { "Content-Type": TYPES[extname(file).toLowerCase()] ?? "application/octet-stream" });
  if (res.req.method === "HEAD") return void res.end();
  createReadStream(file)
    .on("error", () => res.destroy())
    .pipe(res);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
