/**
 * The functions the clean stage runs off its event loop (createCpuRunner): exported here once,
 * for the thread entry (thread.js) and for the inline runner used when threads are off.
 */
import type { CleanedArticle, SourceMeta } from "@tidings/shared/article";
import { openBodyBytes, type CompressedBody } from "@tidings/shared/bodies";
import { cleanPage, pageFromUtf8, type PageInput } from "./clean.ts";

/** A page to clean: its body as text, or as the compressed copy the fetch stage stored (opened here). */
export interface CleanArgs {
  page: Omit<PageInput, "body"> & ({ body: string; compressedBody?: undefined } | { body?: undefined; compressedBody: CompressedBody });
  meta: SourceMeta;
}

export const cleanThreadFunctions = {
  // A stored body is parsed from its UTF-8 bytes, never decoded whole (PageInput.utf8Bytes).
  clean: ({ page, meta }: CleanArgs): CleanedArticle =>
    cleanPage(
      page.body !== undefined
        ? { kind: page.kind, url: page.url, body: page.body }
        : pageFromUtf8(openBodyBytes(page.compressedBody!), { kind: page.kind, url: page.url }),
      meta,
    ),
};
