#!/usr/bin/env node
import { runCli } from "./run-cli";

// The exit code is set, not forced with process.exit, so stdout and stderr pipes are drained before Node ends.
process.exitCode = await runCli(process.argv.slice(2));
