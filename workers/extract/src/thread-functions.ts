/**
 * The functions the extract stage runs off its event loop (createCpuRunner): exported here once,
 * for the thread entry (thread.js) and for the inline runner used when threads are off.
 */
import type { ExtractedEvent } from "@tidings/shared/model";
import { extractEvents, type ExtractInput } from "./extract.ts";

export const extractThreadFunctions = {
  extract: (input: ExtractInput): ExtractedEvent[] => extractEvents(input),
};
