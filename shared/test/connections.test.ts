import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SHARED = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Run `body` in a fresh Node process that has imported @tidings/shared; returns what it prints. */
function inFreshProcess(body: string): string {
  const script = `
    import { createRequire } from "node:module";
    const shared = await import("@tidings/shared");
    const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes("@elastic/elasticsearch"));
    ${body}`;
  return execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: SHARED, encoding: "utf8" }).trim();
}

describe("the Elasticsearch client is loaded on first use", () => {
  it("importing @tidings/shared does not load it; createElasticsearch does, and gives a working client", () => {
    const out = inFreshProcess(`
      const before = loaded();
      const es = shared.createElasticsearch(shared.loadConfig({ ELASTICSEARCH_URL: "http://127.0.0.1:1" }));
      console.log(JSON.stringify({ before, after: loaded(), hasSearch: typeof es.search === "function" }));`);
    expect(JSON.parse(out)).toEqual({ before: false, after: true, hasSearch: true });
  });
});
