// The main job on bundled defaults. Grows into the cross-model evaluation of the bundled checkpoints.
import { initEngine } from "@recurse/core";

const info = await initEngine("auto");
console.log(`engine: ${info.engine} (backend ${info.backend}, ${info.threads} thread(s))`);
