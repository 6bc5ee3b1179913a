// Worker-thread entry of the extract stage (see createCpuRunner in @tidings/shared). Worker threads
// do not inherit the main thread's TypeScript loader, so this plain module registers tsx first.
import { register } from "tsx/esm/api";

register();
const { extractThreadFunctions } = await import("./thread-functions.ts");
const { threadExports } = await import("@tidings/shared/cpu-threads");

// threadExports: a thrown error comes back with its name and classification (cpu-threads.ts).
export const { extract } = threadExports(extractThreadFunctions);
