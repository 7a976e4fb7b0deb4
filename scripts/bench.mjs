// Benchmarks print figures and ratios; nothing here is a pass/fail test.
import { initEngine } from "@recurse/core";

const info = await initEngine("auto");
console.log(`engine: ${info.engine}`);
