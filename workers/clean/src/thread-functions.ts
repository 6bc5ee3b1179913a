/**
 * The functions the clean stage runs off its event loop (createCpuRunner): exported here once,
 * for the thread entry (thread.js) and for the inline runner used when threads are off.
 */
import type { CleanedArticle, SourceMeta } from "@tidings/shared/article";
import { cleanPage, type PageInput } from "./clean.ts";

export interface CleanArgs { page: PageInput; meta: SourceMeta }

export const cleanThreadFunctions = {
  clean: ({ page, meta }: CleanArgs): CleanedArticle => cleanPage(page, meta),
};
