#!/usr/bin/env node
import { initEngine } from "@recurse/core";

const info = await initEngine("auto");
console.log(`recurse: engine ${info.engine} (backend ${info.backend}, ${info.threads} thread(s))`);
