/** The clean stage: main article text, metadata and language from HTML or plain text. */
export { cleanPage, pageFromUtf8 } from "./clean.ts";
export type { PageInput } from "./clean.ts";
export { detectLanguage } from "./language.ts";
export { parseDate, findDateInLines, dateFromUrl } from "./dates.ts";
export { cleanTitle, stripSiteSuffix } from "./title.ts";
export { extractFromText } from "./text-extract.ts";
export { countTokens, tokenize, normalizeSpace } from "./text-utils.ts";
