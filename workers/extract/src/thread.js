// Worker-thread entry of the extract stage (see createCpuRunner in @tidings/shared). Worker threads
// do not inherit the main thread's TypeScript loader, so this plain module registers tsx first.
import { register } from "tsx/esm/api";

register();
const { extractEvents } = await import("./extract.ts");

/** extractEvents(input), as the stage worker calls it. */
export function extract(input) {
  return extractEvents(input);
}
