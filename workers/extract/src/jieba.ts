/** Chinese word segmentation (jieba) with the gazetteer's names added to its dictionary. */
import { createRequire } from "node:module";
import { Jieba } from "@node-rs/jieba";
import { gazetteer } from "./data.ts";
import { normalizeForMatch } from "./normalize.ts";

const require = createRequire(import.meta.url);
let jieba: Jieba | undefined;

function instance(): Jieba {
  if (jieba) return jieba;
  const { dict } = require("@node-rs/jieba/dict.js") as { dict: Uint8Array };
  jieba = Jieba.withDict(dict);
  const lines = gazetteer().userDict.map((w) => `${normalizeForMatch(w, "zh")} 200000 nr`).join("\n");
  jieba.loadDict(Buffer.from(lines + "\n", "utf8"));
  return jieba;
}

/** Token boundary offsets (start and end of every token) of a normalised Chinese sentence. */
export function tokenBoundaries(text: string): Set<number> {
  const out = new Set<number>([0, text.length]);
  let pos = 0;
  for (const tok of instance().cut(text, false)) {
    out.add(pos);
    pos += tok.length;
    out.add(pos);
  }
  return out;
}

export function cut(text: string): string[] { return instance().cut(text, false); }
