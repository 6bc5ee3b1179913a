/** ISO 639-3 (franc's codes) -> ISO 639-1, for the languages the clean stage is allowed to answer. */
export const ISO3_TO_1: Readonly<Record<string, string>> = {
  eng: "en", deu: "de", fra: "fr", spa: "es", ita: "it", por: "pt", nld: "nl", swe: "sv",
  nob: "no", nno: "no", dan: "da", fin: "fi", tur: "tr", ces: "cs", slk: "sk", pol: "pl",
  hun: "hu", ron: "ro", hrv: "hr", bos: "bs", srp: "sr", slv: "sl", ekk: "et", lvs: "lv",
  lit: "lt", ind: "id", zlm: "ms", vie: "vi", tgl: "tl", cat: "ca", glg: "gl", afr: "af",
  swh: "sw", als: "sq", azj: "az", uzn: "uz", epo: "eo", rus: "ru", ukr: "uk", bel: "be",
  bul: "bg", mkd: "mk", kaz: "kk", kir: "ky", tat: "tt", tgk: "tg", khk: "mn", arb: "ar",
  pes: "fa", prs: "fa", urd: "ur", pbu: "ps", hin: "hi", mar: "mr", npi: "ne", heb: "he",
  ydd: "yi", amh: "am", mya: "my", eus: "eu",
};

/** Latin-script languages franc may choose from (a closed set keeps short texts from drifting). */
export const LATIN_CANDIDATES = [
  "eng", "deu", "fra", "spa", "ita", "por", "nld", "swe", "nob", "dan", "fin", "tur", "ces",
  "slk", "pol", "hun", "ron", "hrv", "slv", "ekk", "lvs", "lit", "ind", "tgl", "cat",
  "glg", "afr", "swh", "als", "azj", "uzn",
];

/** Cyrillic-script candidates. */
export const CYRILLIC_CANDIDATES = ["rus", "ukr", "bel", "bul", "mkd", "srp", "kaz", "kir", "tat", "tgk", "khk"];

/** Arabic-script candidates. */
export const ARABIC_CANDIDATES = ["arb", "pes", "urd", "pbu"];

/** Devanagari candidates. */
export const DEVANAGARI_CANDIDATES = ["hin", "mar", "npi"];

/**
 * Frequent function words per language (ISO 639-1), used to settle short texts (titles, snippets)
 * where trigram statistics alone are weak.
 */
export const FUNCTION_WORDS: Readonly<Record<string, readonly string[]>> = {
  en: ["the", "of", "and", "to", "in", "is", "for", "on", "with", "as", "at", "by", "from", "that", "this", "it", "are", "was", "be", "an", "or", "how", "what", "why", "your", "you", "new", "will", "after", "over", "into", "about", "has", "have", "its", "our", "we", "who", "can", "more", "not", "my",
    "best", "guide", "tips", "top", "review", "complete", "beginner", "beginners", "learn", "understanding", "home", "should", "when", "does", "do", "need", "year", "day", "people", "world", "says", "said", "first", "out", "up", "all", "get", "make", "way", "ways", "help", "work", "life", "time", "know", "things", "cost", "free", "vs", "explained", "step", "checklist", "insurance", "software", "software", "market", "living", "writing", "building", "starting"],
  de: ["der", "die", "das", "und", "ist", "nicht", "mit", "von", "den", "dem", "zu", "für", "auf", "ein", "eine", "sich", "im", "auch", "bei", "nach", "wie", "aus", "des", "wird", "vor", "über", "um", "als", "noch", "hat", "sind", "mehr", "nur", "kein", "keine", "neue", "gegen", "wer", "was"],
  fr: ["le", "la", "les", "des", "et", "est", "un", "une", "du", "en", "pour", "dans", "que", "qui", "sur", "au", "aux", "pas", "par", "avec", "ce", "plus", "sont", "il", "elle", "son", "sa", "ses", "après", "contre"],
  es: ["el", "la", "los", "las", "de", "del", "y", "que", "en", "un", "una", "es", "por", "con", "para", "se", "su", "sus", "al", "lo", "como", "más", "pero", "tras", "sobre", "entre"],
  it: ["il", "lo", "la", "gli", "le", "di", "del", "della", "dei", "che", "e", "è", "un", "una", "per", "con", "non", "nel", "nella", "sono", "alla", "al", "da", "si", "dopo", "anche"],
  pt: ["o", "os", "as", "do", "da", "dos", "das", "que", "em", "um", "uma", "para", "com", "não", "no", "na", "por", "mais", "se", "ao", "é", "são", "após"],
  nl: ["de", "het", "een", "van", "en", "is", "niet", "op", "dat", "die", "voor", "met", "zijn", "aan", "er", "ook", "naar", "bij", "uit", "wordt", "nog"],
  sv: ["och", "att", "det", "som", "en", "på", "är", "av", "för", "med", "till", "den", "inte", "om", "ett", "har", "var", "från", "efter", "nya"],
  no: ["og", "i", "det", "som", "en", "på", "er", "av", "for", "med", "til", "den", "ikke", "om", "et", "har", "var", "fra", "etter", "skal", "kan", "nye", "blir"],
  da: ["og", "i", "det", "at", "en", "den", "til", "er", "som", "på", "de", "med", "af", "for", "ikke", "der", "var", "har", "efter", "skal"],
  tr: ["ve", "bir", "bu", "da", "de", "için", "ile", "ne", "mi", "çok", "olarak", "gibi", "daha", "sonra", "kadar", "olan", "yeni"],
  cs: ["a", "je", "se", "na", "v", "ve", "že", "to", "s", "z", "do", "o", "jako", "pro", "by", "po", "k", "ale", "jsou", "který", "která", "podle"],
  pl: ["i", "w", "na", "z", "że", "się", "nie", "do", "to", "jest", "o", "jak", "po", "dla", "od", "przez", "czy", "już"],
  id: ["dan", "yang", "di", "ini", "itu", "dengan", "untuk", "dari", "dalam", "tidak", "akan", "pada", "ke", "juga", "ada"],
};

/** Letters that only (or nearly only) one Latin-script language uses. */
export const SIGNATURE_LETTERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/[þ]/iu, "is"],
  [/[ğış]/u, "tr"],
  [/[ěřůň]/iu, "cs"],
  [/[łąęśźżń]/iu, "pl"],
  [/[őű]/iu, "hu"],
  [/[ßäöü]/iu, "de"],
  [/[ñ¿¡]/iu, "es"],
  [/[ãõ]/iu, "pt"],
  [/[æøå]/iu, "no"],
];
