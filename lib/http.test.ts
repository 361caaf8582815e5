import { describe, expect, it } from "vitest";
import { clientInfo, MAX_JSON_BODY_BYTES, readJsonBody } from "@/lib/http";

const post = (body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }) =>
  new Request("http://app.test/api", { method: "POST", body, headers, duplex: "half" } as RequestInit);

function endless(chunk: Uint8Array, times: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ < times) controller.enqueue(chunk);
      else controller.close();
    },
  });
}

describe("readJsonBody", () => {
  it("parses a JSON body", async () => {
    expect(await readJsonBody(post('{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
    expect(await readJsonBody(post("[1]", { "content-type": "application/json; charset=utf-8" }))).toEqual({
      ok: true,
      value: [1],
    });
  });

  it("refuses other media types with 415", async () => {
    const result = await readJsonBody(post("a=1", { "content-type": "application/x-www-form-urlencoded" }));
    expect(result).toMatchObject({ ok: false, error: { code: "unsupported_media_type" } });
    expect(await readJsonBody(post("{}", {}))).toMatchObject({ ok: false, error: { code: "unsupported_media_type" } });
  });

  it("refuses a declared oversize body without reading it", async () => {
    const result = await readJsonBody(
      post("{}", { "content-type": "application/json", "content-length": String(MAX_JSON_BODY_BYTES + 1) }),
    );
    expect(result).toMatchObject({ ok: false, error: { code: "payload_too_large" } });
  });

  it("stops reading an undeclared body once it passes the limit", async () => {
    const result = await readJsonBody(post(endless(new Uint8Array(4096).fill(32), 1_000_000)));
    expect(result).toMatchObject({ ok: false, error: { code: "payload_too_large" } });
  });

  it("refuses malformed JSON, invalid UTF-8 and an empty body", async () => {
    expect(await readJsonBody(post('{"a":'))).toMatchObject({
      ok: false,
      error: { code: "invalid_request", description: "Request body is not valid JSON." },
    });
    expect(await readJsonBody(post(new Uint8Array([0x7b, 0xff, 0x7d])))).toMatchObject({
      ok: false,
      error: { description: "Request body is not valid UTF-8." },
    });
    expect(await readJsonBody(post(null))).toMatchObject({ ok: false, error: { code: "invalid_request" } });
  });
});

describe("clientInfo", () => {
  it("reads the one address server.ts decided on, and a bounded user agent", () => {
    const info = clientInfo(new Headers({ "x-forwarded-for": "203.0.113.9", "user-agent": "x".repeat(2000) }));
    expect(info.ip).toBe("203.0.113.9");
    expect(info.userAgent).toHaveLength(512);
    expect(clientInfo(new Headers()).ip).toBeNull();
  });
});
