import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
  // zod is used for the results schema; keep it external like the declared dependencies (one zod instance).
  external: ["zod"],
});
