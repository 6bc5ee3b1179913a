#!/usr/bin/env node
// The `tidings` command. The workspace packages are TypeScript source ("just-in-time" internal
// packages), so the command runs them through tsx's loader.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli.ts");
process.exitCode = await main(process.argv.slice(2));
