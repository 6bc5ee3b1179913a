/** Mozilla Readability on linkedom, as the comparison baseline. */
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";

export function runReadability(html: string, url?: string): { text: string; title?: string } {
  try {
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
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const article = new Readability(document as any).parse();
    if (!article) return { text: "" };
    const text = (article.textContent ?? "")
      .split(/\n\s*\n|\n/)
      .map((p) => p.replace(/\s+/g, " ").trim())
      .filter(Boolean)
      .join("\n\n");
    return { text, title: article.title ?? undefined };
  } catch {
    return { text: "" };
  }
}
