import { describe, expect, it } from "vitest";
import { checkServerActionRequest, MAX_ACTION_BODY_BYTES } from "@/lib/server-actions";

const ACTION = "60e61aa1f86cb8d170936beee3a2be44f1b5789037";

const URL_ = "http://localhost:3000/login";

// As a browser sends it: with its Content-Length (and, for form data, the
// multipart type Request picks).
async function post(body: BodyInit, headers: Record<string, string>): Promise<Request> {
  const draft = new Request(URL_, { method: "POST", body });
  const bytes = await draft.arrayBuffer();
  const type = draft.headers.get("content-type");
  return new Request(URL_, {
    method: "POST",
    body: bytes,
    headers: {
      host: "localhost:3000",
      ...(type ? { "content-type": type } : {}),
      "content-length": String(bytes.byteLength),
      ...headers,
    },
  });
}

function form(fields: [string, string][]): FormData {
  const data = new FormData();
  for (const [name, value] of fields) data.append(name, value);
  return data;
}

// FormData bodies get their multipart content type from Request itself.
const call = (fields: [string, string][], headers: Record<string, string> = {}) =>
  post(form(fields), { "next-action": ACTION, ...headers });

async function status(request: Request | Promise<Request>): Promise<number | null> {
  return (await checkServerActionRequest(await request))?.status ?? null;
}

describe("server action requests", () => {
  it("lets through what React sends for a form: (state, form data), or no arguments", async () => {
    expect(
      await status(
        call([
          ["_1_email", "a@example.com"],
          ["_1_$ACTION_KEY", "k1"],
          ["0", '[{"status":"idle","message":"$$5 off"},"$K1"]'],
        ]),
      ),
    ).toBeNull();
    expect(await status(post("[]", { "next-action": ACTION, "content-type": "text/plain;charset=UTF-8" }))).toBeNull();
  });

  it("lets through a form posted without JavaScript", async () => {
    const fields: [string, string][] = [
      ["$ACTION_REF_1", ""],
      ["$ACTION_1:0", JSON.stringify({ id: ACTION, bound: "$@1" })],
      ["$ACTION_1:1", '[{"status":"idle"}]'],
      ["$ACTION_KEY", "k1"],
      ["email", "a@example.com"],
    ];
    expect(await status(post(form(fields), {}))).toBeNull();
  });

  it("refuses what Next would misread: a multipart type in other letter case, deep nesting", async () => {
    const data = form([["0", "[]"]]);
    const draft = new Request(URL_, { method: "POST", body: data });
    const type = draft.headers.get("content-type")!.replace("multipart/form-data", "Multipart/Form-Data");
    const bytes = await draft.arrayBuffer();
    expect(
      await status(
        new Request(URL_, {
          method: "POST",
          body: bytes,
          headers: {
            host: "localhost:3000",
            "next-action": ACTION,
            "content-type": type,
            "content-length": String(bytes.byteLength),
          },
        }),
      ),
    ).toBe(415);
    const deep = `${"[".repeat(7000)}${"]".repeat(7000)}`;
    expect(await status(post(deep, { "next-action": ACTION, "content-type": "text/plain" }))).toBe(400);
    expect(await status(call([["0", deep]]))).toBe(400);
    expect(await status(call([["0", '[{"status":"idle","fields":{"email":"x"}},"$K1"]']]))).toBeNull();
  });

  it("leaves requests that are not actions to Next", async () => {
    expect(await status(post("x", { "content-type": "text/plain" }))).toBeNull();
    expect(await status(new Request(URL_, { headers: { "next-action": ACTION } }))).toBeNull();
  });

  it("refuses another site's Origin with 403 (Next would throw: a 500)", async () => {
    expect(await status(call([["0", "[]"]], { origin: "https://evil.example" }))).toBe(403);
    expect(await status(call([["0", "[]"]], { origin: "not a url" }))).toBe(403);
    expect(await status(call([["0", "[]"]], { origin: "http://localhost:3000" }))).toBeNull();
  });

  it("compares the Origin with the first forwarded host, as Next does", async () => {
    expect(
      await status(
        call([["0", "[]"]], { origin: "https://app.example", "x-forwarded-host": "app.example, internal:3000" }),
      ),
    ).toBeNull();
    expect(await status(call([["0", "[]"]], { origin: "http://localhost:3000", "x-forwarded-host": "" }))).toBeNull();
    expect(
      await status(call([["0", "[]"]], { origin: "https://evil.example", "x-forwarded-host": "app.example" })),
    ).toBe(403);
  });

  it("needs a Content-Length (411): past the proxy's buffer, Next would read what was never checked", async () => {
    const chunked = new Request(URL_, {
      method: "POST",
      body: "[]",
      headers: { host: "localhost:3000", "next-action": ACTION, "content-type": "text/plain" },
    });
    expect(await status(chunked)).toBe(411);
  });

  it("refuses bodies over the limit, declared or not", async () => {
    expect(await status(call([["0", "[]"]], { "content-length": String(MAX_ACTION_BODY_BYTES + 1) }))).toBe(413);
    expect(
      await status(
        call([
          ["0", "[]"],
          ["_1_x", "x".repeat(MAX_ACTION_BODY_BYTES)],
        ]),
      ),
    ).toBe(413);
  });

  it("refuses other media types, unreadable multipart and payloads React would choke on, with 4xx", async () => {
    expect(await status(post("{}", { "next-action": ACTION, "content-type": "application/json" }))).toBe(415);
    expect(
      await status(post("junk", { "next-action": ACTION, "content-type": "multipart/form-data; boundary=x" })),
    ).toBe(400);
    expect(await status(call([["_1_email", "x"]]))).toBe(400); // no root
    expect(await status(call([["0", "["]]))).toBe(400);
    expect(await status(call([["0", '{"a":1}']]))).toBe(400);
    expect(await status(call([["0", '["$Q9","$@3"]']]))).toBe(400); // references to parts that are not there
    expect(await status(call([["0", '["$h1"]']]))).toBe(400); // a server reference passed as an argument
    expect(
      await status(
        call([
          ["0", "[]"],
          ["1", "x"],
        ]),
      ),
    ).toBe(400);
    expect(await status(post('["$K1"]', { "next-action": ACTION, "content-type": "text/plain" }))).toBe(400); // form data without a form
    expect(await status(post(form([["$ACTION_1:0", '{"id":"00aa","bound":"$@1"}']]), {}))).toBe(400);
    expect(await status(post(form([["$ACTION_REF_1", ""]]), {}))).toBe(400);
    expect(
      await status(
        post(
          form([
            ["$ACTION_1:1", '["$T"]'],
            ["$ACTION_1:0", '{"id":"00aa","bound":"$@1"}'],
          ]),
          {},
        ),
      ),
    ).toBe(400);
    expect(await status(post(form([["$ACTION_BOGUS", ""]]), {}))).toBe(400);
  });
});
