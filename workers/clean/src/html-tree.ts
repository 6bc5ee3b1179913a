/**
 * The tree-building half of htmlparser2's Parser (htmlparser2 10.x, Parser.ts), for what
 * parseHtml asks of it: HTML mode, tag and attribute names lower-cased, self-closing tags
 * recognised, no entity decoding, and only the open-tag, text and close-tag events. The same
 * events in the same order as the Parser (implied closes, `</p>` and `</br>` without an open
 * tag, unclosed elements closed at the end), without the bookkeeping parseHtml never reads
 * (source positions, foreign-content state, comment and declaration events). It is driven by
 * htmlparser2's own Tokenizer. A test compares its events with the Parser's.
 */
import { Tokenizer } from "htmlparser2";

/** What parseHtml listens to. */
export interface TreeHandler<A> {
  onopentag(name: string, attrs: A): void;
  ontext(text: string): void;
  onclosetag(name: string): void;
}

const formTags = new Set(["input", "option", "optgroup", "select", "button", "datalist", "textarea"]);
const pTag = new Set(["p"]);
const tableSectionTags = new Set(["thead", "tbody"]);
const ddtTags = new Set(["dd", "dt"]);
const rtpTags = new Set(["rt", "rp"]);
/** An opening tag closes these open elements first (htmlparser2's openImpliesClose). */
const OPEN_IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>([
  ["tr", new Set(["tr", "th", "td"])],
  ["th", new Set(["th"])],
  ["td", new Set(["thead", "th", "td"])],
  ["body", new Set(["head", "link", "script"])],
  ["li", new Set(["li"])],
  ["p", pTag], ["h1", pTag], ["h2", pTag], ["h3", pTag], ["h4", pTag], ["h5", pTag], ["h6", pTag],
  ["select", formTags], ["input", formTags], ["output", formTags], ["button", formTags], ["datalist", formTags], ["textarea", formTags],
  ["option", new Set(["option"])],
  ["optgroup", new Set(["optgroup", "option"])],
  ["dd", ddtTags], ["dt", ddtTags],
  ["address", pTag], ["article", pTag], ["aside", pTag], ["blockquote", pTag], ["details", pTag], ["div", pTag], ["dl", pTag],
  ["fieldset", pTag], ["figcaption", pTag], ["figure", pTag], ["footer", pTag], ["form", pTag], ["header", pTag], ["hr", pTag],
  ["main", pTag], ["nav", pTag], ["ol", pTag], ["pre", pTag], ["section", pTag], ["table", pTag], ["ul", pTag],
  ["rt", rtpTags], ["rp", rtpTags],
  ["tbody", tableSectionTags], ["tfoot", tableSectionTags],
]);
/** Elements without content or closing tag (htmlparser2's voidElements). */
const VOID_ELEMENTS = new Set([
  "area", "base", "basefont", "br", "col", "command", "embed", "frame", "hr", "img", "input", "isindex", "keygen", "link",
  "meta", "param", "source", "track", "wbr",
]);

/**
 * Builds the events from the tokenizer's callbacks. Attributes go into an object made by
 * `newAttrs` for each tag; `keepAttr` says which names are stored (the first of duplicates wins)
 * and `value` turns a raw value into the stored one (parseHtml decodes entities there).
 */
export class TreeBuilder<A extends object> {
  private buffer = "";
  /** Open elements, innermost last. */
  private readonly stack: string[] = [];
  private tagname = "";
  private attribs: A | null = null;
  private attribname = "";
  private attribvalue = "";

  constructor(
    private readonly handler: TreeHandler<A>,
    private readonly newAttrs: () => A,
    private readonly keepAttr: (name: string) => string | undefined,
    private readonly value: (raw: string) => string,
  ) {}

  /** Tokenize and build the whole document. */
  parse(html: string, tokenizerClass: typeof Tokenizer = Tokenizer): void {
    this.buffer = html;
    const tokenizer = new tokenizerClass({ decodeEntities: false }, this);
    tokenizer.write(html);
    tokenizer.end();
  }

  // Tokenizer callbacks (htmlparser2's Callbacks interface).

  ontext(start: number, endIndex: number): void {
    this.handler.ontext(this.buffer.slice(start, endIndex));
  }

  ontextentity(): void {
    // Entities are not decoded by the tokenizer (decodeEntities: false).
  }

  onopentagname(start: number, endIndex: number): void {
    this.emitOpenTag(this.buffer.slice(start, endIndex).toLowerCase());
  }

  private emitOpenTag(name: string): void {
    this.tagname = name;
    const impliesClose = OPEN_IMPLIES_CLOSE.get(name);
    if (impliesClose) {
      const stack = this.stack;
      while (stack.length > 0 && impliesClose.has(stack[stack.length - 1] ?? "")) this.handler.onclosetag(stack.pop() ?? "");
    }
    if (!VOID_ELEMENTS.has(name)) this.stack.push(name);
    this.attribs = this.newAttrs();
  }

  private endOpenTag(): void {
    if (this.attribs) {
      this.handler.onopentag(this.tagname, this.attribs);
      this.attribs = null;
    }
    if (VOID_ELEMENTS.has(this.tagname)) this.handler.onclosetag(this.tagname);
    this.tagname = "";
  }

  onopentagend(): void {
    this.endOpenTag();
  }

  onselfclosingtag(): void {
    this.closeCurrentTag();
  }

  private closeCurrentTag(): void {
    const name = this.tagname;
    this.endOpenTag();
    // A self-closing tag is on top of the stack.
    if (this.stack[this.stack.length - 1] === name) {
      this.handler.onclosetag(name);
      this.stack.pop();
    }
  }

  onclosetag(start: number, endIndex: number): void {
    const name = this.buffer.slice(start, endIndex).toLowerCase();
    if (!VOID_ELEMENTS.has(name)) {
      const pos = this.stack.lastIndexOf(name);
      if (pos !== -1) {
        while (this.stack.length > pos) this.handler.onclosetag(this.stack.pop() ?? "");
      } else if (name === "p") {
        // "</p>" with no open <p>: an empty paragraph.
        this.emitOpenTag("p");
        this.closeCurrentTag();
      }
    } else if (name === "br") {
      // "</br>" is read as "<br>".
      this.handler.onopentag("br", this.newAttrs());
      this.handler.onclosetag("br");
    }
  }

  onattribname(start: number, endIndex: number): void {
    const raw = this.buffer.slice(start, endIndex);
    this.attribname = this.keepAttr(raw) ?? "";
  }

  onattribdata(start: number, endIndex: number): void {
    if (this.attribname !== "") this.attribvalue += this.buffer.slice(start, endIndex);
  }

  onattribentity(): void {
    // Entities are not decoded by the tokenizer.
  }

  onattribend(_quote: number, _endIndex: number): void {
    const rec = this.attribs as Record<string, string | undefined> | null;
    const name = this.attribname;
    if (rec !== null && name !== "" && rec[name] === undefined) rec[name] = this.value(this.attribvalue);
    this.attribvalue = "";
  }

  oncdata(): void {}
  oncomment(): void {}
  ondeclaration(): void {}
  onprocessinginstruction(): void {}

  onend(): void {
    // Elements still open are closed, innermost first.
    for (let i = this.stack.length - 1; i >= 0; i--) this.handler.onclosetag(this.stack[i] ?? "");
  }
}
