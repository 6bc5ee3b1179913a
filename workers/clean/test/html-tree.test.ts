import { describe, expect, it } from "vitest";
import { Parser } from "htmlparser2";
import { TreeBuilder, type TreeHandler } from "../src/html-tree.ts";

type Attrs = Record<string, string>;

/** The open-tag, text and close-tag events, as one string per event. */
function recorder(): { events: string[]; handler: TreeHandler<Attrs> } {
  const events: string[] = [];
  return {
    events,
    handler: {
      onopentag: (name, attrs) => events.push(`<${name} ${JSON.stringify(attrs)}>`),
      ontext: (text) => events.push(text),
      onclosetag: (name) => events.push(`</${name}>`),
    },
  };
}

/** htmlparser2's Parser with the options parseHtml relies on, as the reference. */
function parserEvents(html: string): string[] {
  const r = recorder();
  const p = new Parser(r.handler, { decodeEntities: false, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true });
  p.write(html);
  p.end();
  return r.events;
}

function builderEvents(html: string): string[] {
  const r = recorder();
  new TreeBuilder<Attrs>(r.handler, () => ({}), (name) => name.toLowerCase(), (v) => v).parse(html);
  return r.events;
}

describe("TreeBuilder gives htmlparser2's Parser events", () => {
  it.each([
    ["implied </p> before a block", "<p>a<div>b</div><p>c<p>d"],
    ["stray </p> is an empty paragraph", "x</p>y"],
    ["stray </br> is a line break", "a</br>b"],
    ["void and self-closing tags", "<br/><img src=a><hr><input type=text/><span/>x"],
    ["misnested inline tags", "<b><i>x</b>y</i>z"],
    ["a close tag ends the innermost element of its name", "<div><span><div>a</div>b</span>c</div>d"],
    ["unclosed elements closed at the end", "<div><ul><li>a<li>b"],
    ["table cells and rows", "<table><tr><td>a<td>b<tr><th>c</table>"],
    ["select options", "<select><option>a<option>b<optgroup><option>c</select>"],
    ["definition lists", "<dl><dt>a<dd>b<dt>c</dl>"],
    ["headings close a paragraph", "<p>a<h2>b</h2>"],
    ["upper-case names, duplicate attributes", "<DIV CLASS=x class=y ID='z'>t</DIV>"],
    ["raw text elements", "<script>a<b</script><style>p{}</style><title>t</title>"],
    ["comments, doctype, CDATA", "<!doctype html><!-- c --><![CDATA[x]]><p>y</p>"],
    ["svg and math", "<svg><path d='m0'/><title>t</title></svg><math><mi>x</mi></math>"],
    ["body closes head", "<head><link rel=x><script></script><body>t"],
    ["text with < and &", "a < b && c <3"],
    ["unterminated tag at the end", "<p>x</p><a href='y"],
  ])("%s", (_name, html) => expect(builderEvents(html)).toEqual(parserEvents(html)));
});
