import { describe, expect, it } from "vitest";
import { checkServerActionRequest, MAX_ACTION_BODY_BYTES } from "@/lib/server-actions";

const ACTION = "60e61aa1f86cb8d170936beee3a2be44f1b5789037";

function post(body: BodyInit, headers: Record<string, string>): Request {
  return new Request("http://localhost:3000/login", { method: "POST", body, headers: { host: "localhost:3000", ...headers } });
}

function form(fields: [string, string][]): FormData {
  const data = new FormData();
  for (const [name, value] of fields) data.append(name, value);
  return data;
}

// FormData bodies get their multipart content type from Request itself.
const call = (fields: [string, string][], headers: Record<string, string> = {}) => post(form(fields), { "next-action": ACTION, ...headers });

async function status(request: Request): Promise<number | null> {
  return (await checkServerActionRequest(request))?.status ?? null;
}

describe("server action requests", () => {
  it("lets through what React sends for a form: (state, form data), or no arguments", async () => {
    expect(await status(call([["_1_email", "a@example.com"], ["_1_$ACTION_KEY", "k1"], ["0", '[{"status":"idle","message":"$$5 off"},"$K1"]']]))).toBeNull();
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

  it("leaves requests that are not actions to Next", async () => {
    expect(await status(post("x", { "content-type": "text/plain" }))).toBeNull();
    expect(await status(new Request("http://localhost:3000/login", { headers: { "next-action": ACTION } }))).toBeNull();
  });

  it("refuses another site's Origin with 403 (Next would throw: a 500)", async () => {
    expect(await status(call([["0", "[]"]], { origin: "https://evil.example" }))).toBe(403);
    expect(await status(call([["0", "[]"]], { origin: "not a url" }))).toBe(403);
    expect(await status(call([["0", "[]"]], { origin: "http://localhost:3000" }))).toBeNull();
  });

  it("refuses bodies over the limit, declared or not", async () => {
    expect(await status(call([["0", "[]"]], { "content-length": String(MAX_ACTION_BODY_BYTES + 1) }))).toBe(413);
    expect(await status(call([["0", "[]"], ["_1_x", "x".repeat(MAX_ACTION_BODY_BYTES)]]))).toBe(413);
  });

  it("refuses other media types, unreadable multipart and payloads React would choke on, with 4xx", async () => {
    expect(await status(post("{}", { "next-action": ACTION, "content-type": "application/json" }))).toBe(415);
    expect(await status(post("junk", { "next-action": ACTION, "content-type": "multipart/form-data; boundary=x" }))).toBe(400);
    expect(await status(call([["_1_email", "x"]]))).toBe(400); // no root
    expect(await status(call([["0", "["]]))).toBe(400);
    expect(await status(call([["0", '{"a":1}']]))).toBe(400);
    expect(await status(call([["0", '["$Q9","$@3"]']]))).toBe(400); // references to parts that are not there
    expect(await status(call([["0", '["$h1"]']]))).toBe(400); // a server reference passed as an argument
    expect(await status(call([["0", "[]"], ["1", "x"]]))).toBe(400);
    expect(await status(post('["$K1"]', { "next-action": ACTION, "content-type": "text/plain" }))).toBe(400); // form data without a form
    expect(await status(post(form([["$ACTION_1:0", '{"id":"00aa","bound":"$@1"}']]), {}))).toBe(400);
    expect(await status(post(form([["$ACTION_REF_1", ""]]), {}))).toBe(400);
    expect(await status(post(form([["$ACTION_1:1", '["$T"]'], ["$ACTION_1:0", '{"id":"00aa","bound":"$@1"}']]), {}))).toBe(400);
    expect(await status(post(form([["$ACTION_BOGUS", ""]]), {}))).toBe(400);
  });
});
