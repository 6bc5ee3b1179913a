// Worker-thread entry of the clean stage (see createCpuRunner in @tidings/shared). Worker threads
// do not inherit the main thread's TypeScript loader, so this plain module registers tsx first.
import { register } from "tsx/esm/api";

register();
const { cleanPage } = await import("./clean.ts");

/** cleanPage(page, meta), as the stage worker calls it. */
export function clean({ page, meta }) {
  return cleanPage(page, meta);
}
