import { describe, expect, it } from "vitest";
import { parsePayload } from "../src/jobs.ts";
import { QueueName } from "../src/queues.ts";

const envelope = {
  v: 1, source_id: "0123456789abcdef0123456789abcdef", url: "https://a.test/", input_url: "https://a.test/",
  batch_id: "b_1", correlation_id: "c_1", run: "r1", enqueued_at: "2024-01-01T00:00:00Z",
};
const page = { requested_url: "https://a.test/", final_url: "https://a.test/", http_status: 200, content_type: "text/html", kind: "html", charset: "utf-8", fetched_at: "2024-01-01T00:00:00Z", bytes: 10 };

describe("clean payloads carry the body inline or by reference, never both or neither", () => {
  it.each([
    ["inline", { ...page, body: "<p>x</p>" }, true],
    ["by reference", { ...page, body_ref: "tidings:body:x:r1" }, true],
    ["both", { ...page, body: "<p>x</p>", body_ref: "tidings:body:x:r1" }, false],
    ["neither", page, false],
  ])("%s", (_name, p, ok) => {
    const parse = () => parsePayload(QueueName.Clean, { envelope, page: p });
    if (ok) expect(parse).not.toThrow();
    else expect(parse).toThrow(/exactly one of body and body_ref/);
  });
});
