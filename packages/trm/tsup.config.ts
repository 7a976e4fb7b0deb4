import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
  // One zod for the whole process (core's): config schemas are handed to core's registry, so never bundle a copy.
  external: ["zod"],
});
