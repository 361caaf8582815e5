import { describe, expect, it, vi } from "vitest";
import { clientInfo, MAX_JSON_BODY_BYTES, readJsonBody, route } from "@/lib/http";

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

describe("route", () => {
  it("turns an unexpected exception into a bare 500, with nothing of the error in the answer", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const handler = route(async () => {
      throw new Error("secret detail at /srv/app/lib/thing.ts:12");
    });
    const answer = await handler(new Request("http://app.test/api/thing"), {});
    expect(answer.status).toBe(500);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    const text = await answer.text();
    expect(JSON.parse(text)).toEqual({
      error: "server_error",
      error_description: "The server failed to handle this request.",
    });
    expect(text).not.toContain("secret detail");
    expect(errors).toHaveBeenCalled();
    errors.mockRestore();
  });

  it("answers 503 with Retry-After when the database is unavailable, and passes every other answer through", async () => {
    const down = route(async () => {
      throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    });
    const answer = await down(new Request("http://app.test/api/thing"), {});
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("5");
    expect(await answer.json()).toMatchObject({ error: "temporarily_unavailable" });
    const fine = route(async () => new Response("ok", { status: 201 }));
    expect((await fine(new Request("http://app.test/api/thing"), {})).status).toBe(201);
  });
});
