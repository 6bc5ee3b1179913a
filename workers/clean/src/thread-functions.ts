/**
 * The functions the clean stage runs off its event loop (createCpuRunner): exported here once,
 * for the thread entry (thread.js) and for the inline runner used when threads are off.
 */
import type { CleanedArticle, SourceMeta } from "@tidings/shared/article";
import { openBody, type CompressedBody } from "@tidings/shared/bodies";
import { cleanPage, type PageInput } from "./clean.ts";

/** A page to clean: its body as text, or as the compressed copy the fetch stage stored (opened here). */
export interface CleanArgs {
  page: Omit<PageInput, "body"> & ({ body: string; compressedBody?: undefined } | { body?: undefined; compressedBody: CompressedBody });
  meta: SourceMeta;
}

export const cleanThreadFunctions = {
  clean: ({ page, meta }: CleanArgs): CleanedArticle =>
    cleanPage({ kind: page.kind, url: page.url, body: page.body ?? openBody(page.compressedBody!) }, meta),
};
