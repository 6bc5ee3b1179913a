/**
 * The extract stage on the repository's fixture pages (test/fixtures/pages), end to end through
 * the in-process pipeline (clean -> language -> translate -> extract), scored against the
 * manifest's `events` with the rules of the event evaluation (`tidings eval-events --fixtures`).
 * The floors sit a little under what the extractor reaches, so that a regression fails.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { processLocalFile } from "@tidings/scripts/process/pipeline";
import { fixtureGold } from "@tidings/scripts/eval/events/fixtures";
import { scoreDocument, summarise, type DocScore, type Summary } from "@tidings/scripts/eval/events/score";

const DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../fixtures/pages");

describe("events on the fixture pages", () => {
  const scores: DocScore[] = [];
  let s: Summary;
  beforeAll(async () => {
    for (const doc of fixtureGold(DIR)) {
      const out = await processLocalFile(join(DIR, doc.file), { provider: "stub" });
      scores.push(scoreDocument(doc, out.events));
    }
    s = summarise(scores);
  }, 120_000);

  it("reaches the precision, recall and direction floors", () => {
    expect(s.requiredGold).toBeGreaterThanOrEqual(40);
    expect(s.precision).toBeGreaterThanOrEqual(0.58);
    expect(s.recall).toBeGreaterThanOrEqual(0.57);
    expect(s.directionAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(s.duplicates).toBe(0);
  });

  it("finds events in every language of the fixtures", () => {
    const byLang = new Map<string, number>();
    for (const doc of fixtureGold(DIR)) {
      const sc = scores.find((x) => x.file === doc.file)!;
      byLang.set(doc.language, (byLang.get(doc.language) ?? 0) + sc.requiredMatched);
    }
    for (const lang of ["zh", "vi", "en", "ru", "ko", "ja"]) expect(byLang.get(lang) ?? 0, lang).toBeGreaterThan(0);
  });

  it("predicts nothing on the section index page", () => {
    const idx = scores.find((x) => x.file === "en-section-index-korea.html")!;
    expect(idx.predictions).toEqual([]);
  });

  it("reads the Japanese page fully (lexicon added as data)", () => {
    const ja = scores.find((x) => x.file.startsWith("ja-"))!;
    expect(ja.requiredMatched).toBe(ja.requiredGold);
  });
});
