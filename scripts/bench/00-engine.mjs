import { initEngine } from "@recurse/core";

export const name = "engine";

export async function run({ json }) {
  const info = await initEngine("auto");
  if (!json) console.log(`engine: ${info.engine} (${info.threads} thread(s))`);
  return { engine: info.engine };
}
