/**
 * Generates data/countries.json: every ISO 3166-1 country with its alpha-2/alpha-3 codes, its
 * English capital (from the `countries-list` npm package, MIT, v3.4.1) and its names in
 * zh/vi/en/ko/ja/ru from CLDR (through ICU's Intl.DisplayNames in Node 20).
 * Hand-written aliases (short names, "-side" forms, demonyms, capitals in other scripts) live in
 * data/country-aliases.json and are merged at load time, so regenerating never loses them.
 *
 * Usage: npx tsx src/tools/gen-countries.ts /path/to/unpacked/countries-list > data/countries.json
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir) throw new Error("usage: gen-countries.ts <countries-list package dir>");
const meta = JSON.parse(readFileSync(join(dir, "countries.min.json"), "utf8")) as Record<string, { name: string; capital?: string; partOf?: string; userAssigned?: boolean }>;
const to3 = JSON.parse(readFileSync(join(dir, "minimal/countries.2to3.min.json"), "utf8")) as Record<string, string>;
const LANGS = ["en", "zh", "vi", "ko", "ja", "ru"] as const;
const SKIP = new Set(["AC", "AQ", "BV", "HM", "IO", "TF", "UM", "GS", "CP", "DG", "EA", "IC", "TA"]);
const out = [];
for (const [a2, m] of Object.entries(meta).sort()) {
  if (SKIP.has(a2)) continue;
  const a3 = a2 === "XK" ? "XKX" : to3[a2];
  if (!a3) continue;
  const names: Record<string, string[]> = {};
  for (const lang of LANGS) {
    const dn = new Intl.DisplayNames([lang], { type: "region" });
    const full = dn.of(a2) ?? m.name;
    const parts = full.split(/\s*[(（]\s*|\s*[)）]\s*/).map((s) => s.trim()).filter(Boolean);
    names[lang] = [...new Set([full.replace(/\s*[(（].*$/, "").trim(), ...parts])];
  }
  out.push({ iso3: a3, iso2: a2, name: names.en?.[0] ?? m.name, names, capital: m.capital || undefined, territory: m.partOf ? true : undefined });
}
process.stdout.write(JSON.stringify({ source: "countries-list@3.4.1 (MIT) for codes and capitals; CLDR via Node ICU Intl.DisplayNames for names", generated_by: "src/tools/gen-countries.ts", countries: out }, null, 0).replace(/\},\{"iso3"/g, '},\n{"iso3"') + "\n");
