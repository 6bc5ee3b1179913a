/** The extract stage: cleaned article -> events. See extract.ts. */
export { extractEvents, extractCandidates, resolveActors, type ExtractInput, type Candidate } from "./extract.ts";
export { findDates, datesCompatible, type DateMention } from "./dates.ts";
export { cameoOf, cameoVersion, gazetteer, lexicon, availableLanguages, roleAt } from "./data.ts";
export { normalizeForMatch } from "./normalize.ts";
export { splitSentences } from "./sentences.ts";
