/**
 * Mozilla Readability, the comparison baseline, on either DOM it is commonly run on in Node:
 * jsdom (what Readability's README shows) or linkedom (a lighter DOM, several times faster).
 * Both are reported side by side by `eval:clean` and `bench`.
 */
import { Readability } from "@mozilla/readability";
import { JSDOM, VirtualConsole } from "jsdom";
import { parseHTML } from "linkedom";

export type ReadabilityDom = "jsdom" | "linkedom";
export const READABILITY_DOMS: readonly ReadabilityDom[] = ["jsdom", "linkedom"];

// jsdom reports CSS it cannot parse on its console; the pages' stylesheets are none of our business.
const quiet = new VirtualConsole();

type ReadabilityDocument = ConstructorParameters<typeof Readability>[0];

/**
 * A parsed page and how to free it. A jsdom window holds its whole DOM until closed, and closing
 * finishes on a later turn of the event loop: a caller running many pages must yield between
 * them (`await readabilityYield()`), or memory grows some 5 MB a page until the heap runs out.
 */
function documentOf(html: string, url: string | undefined, dom: ReadabilityDom): { document: ReadabilityDocument; close: () => void } {
  if (dom === "jsdom") {
    const { window } = new JSDOM(html, { virtualConsole: quiet, ...(url ? { url } : {}) });
    return { document: window.document, close: () => window.close() };
  }
  const { document } = parseHTML(html);
  if (url) {
    try {
      const base = document.createElement("base");
      base.setAttribute("href", url);
      document.head?.appendChild(base);
    } catch {
      /* ignore */
    }
  }
  return { document: document as unknown as ReadabilityDocument, close: () => undefined };
}

export function runReadability(html: string, url?: string, dom: ReadabilityDom = "linkedom"): { text: string; title?: string } {
  let close = () => {};
  try {
    const parsed = documentOf(html, url, dom);
    close = parsed.close;
    const article = new Readability(parsed.document).parse();
    if (!article) return { text: "" };
    const text = (article.textContent ?? "")
      .split(/\n\s*\n|\n/)
      .map((p) => p.replace(/\s+/g, " ").trim())
      .filter(Boolean)
      .join("\n\n");
    return { text, title: article.title ?? undefined };
  } catch {
    return { text: "" };
  } finally {
    close();
  }
}

/** One turn of the event loop, for closed jsdom windows to be released (see documentOf). */
export function readabilityYield(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
