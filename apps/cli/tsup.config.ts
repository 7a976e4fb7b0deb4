import { cpSync } from "node:fs";
import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/bin.ts"],
  format: ["esm"],
  dts: { entry: "src/index.ts" },
  clean: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
  // The viewer page is plain HTML/CSS/JS served as files; ship it beside the bundle.
  async onSuccess() {
    cpSync("src/viewer/assets", "dist/viewer-assets", { recursive: true });
  },
});
