import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
  // zod comes from @recurse/core's dependencies (one instance for every plugin); it is not bundled here.
  external: ["zod"],
});
