// Worker-thread entry of the clean stage (see createCpuRunner in @tidings/shared). Worker threads
// do not inherit the main thread's TypeScript loader, so this plain module registers tsx first.
import { register } from "tsx/esm/api";

register();
const { cleanThreadFunctions } = await import("./thread-functions.ts");
const { threadExports } = await import("@tidings/shared/cpu-threads");

// threadExports: a thrown error comes back with its name and classification (cpu-threads.ts).
export const { clean } = threadExports(cleanThreadFunctions);
