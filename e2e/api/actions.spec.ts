// Server actions (form posts to pages) are endpoints too: what Next would
// answer with a 500 is refused with a 4xx before Next sees it
// (lib/server-actions.ts via proxy.ts), and nothing changes.
import { expect, test } from "../fixtures";
import { actionId, PASSWORD, uniqueEmail } from "../helpers";
import { port } from "../test-env";

const origin = `http://localhost:${port}`;

// Pairs, not an object: an object would put the key "0" first.
function multipart(fields: [string, string][]): FormData {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  return form;
}

test("a well-formed sign-in action works; the same post from another site is 403, not Next's 500", async ({
  request,
  account: user,
}) => {
  // As React sends it: the form's fields, then the argument list ("0") last,
  // which refers to them ("$K1": the "_1_" parts read so far).
  const fields: [string, string][] = [
    ["_1_email", user.email],
    ["_1_password", user.password],
    ["_1_next", "/account"],
    ["0", '[{"status":"idle"},"$K1"]'],
  ];
  const foreign = await request.post("/login", {
    headers: { "next-action": actionId("signInAction"), origin: "https://evil.example" },
    multipart: multipart(fields),
  });
  expect(foreign.status()).toBe(403);
  expect(await foreign.json()).toMatchObject({ error: "cross_site_request" });
  expect(foreign.headers()["set-cookie"]).toBeUndefined();

  const own = await request.post("/login", {
    headers: { "next-action": actionId("signInAction"), origin },
    multipart: multipart(fields),
    maxRedirects: 0,
  });
  expect(own.status()).toBeLessThan(400);
  expect(own.headers()["set-cookie"]).toContain("svj_session=");
});

test("oversized, wrongly typed and malformed action posts are 413/415/400", async ({ request }) => {
  const headers = { "next-action": actionId("registerAction"), origin };
  const email = uniqueEmail("never");
  const big = await request.post("/register", {
    headers,
    multipart: multipart([
      ["_1_email", email],
      ["_1_password", "x".repeat(20_000)],
      ["0", '["$K1"]'],
    ]),
  });
  expect(big.status()).toBe(413);
  const json = await request.post("/register", {
    headers: { ...headers, "content-type": "application/json" },
    data: { email, password: PASSWORD },
  });
  expect(json.status()).toBe(415);
  for (const body of ['["$K1"]', '["$Q1"]', "[", '{"a":1}']) {
    const answer = await request.post("/register", {
      headers: { ...headers, "content-type": "text/plain;charset=UTF-8" },
      data: body,
    });
    expect(answer.status(), body).toBe(400);
  }
  const dangling = await request.post("/register", {
    headers,
    multipart: multipart([
      ["_1_email", email],
      ["0", '["$@5"]'],
    ]),
  });
  expect(dangling.status()).toBe(400);
  const plain = await request.post("/register", {
    headers: { origin },
    multipart: multipart([
      ["$ACTION_REF_1", ""],
      ["$ACTION_1:0", "{"],
      ["email", email],
      ["password", PASSWORD],
    ]),
  });
  expect(plain.status()).toBe(400);
  // None of them registered anyone.
  const { db } = await import("@/lib/db");
  expect(await db().user.count({ where: { email } })).toBe(0);
});

test("an action given something other than form data answers with its form's error, not a crash", async ({
  request,
}) => {
  const answer = await request.post("/login", {
    headers: { "next-action": actionId("signInAction"), origin, "content-type": "text/plain;charset=UTF-8" },
    data: '["x", 1]',
  });
  expect(answer.status()).toBe(200);
  expect(await answer.text()).toContain("Enter your email and password.");
});

test("unknown /api and /.well-known paths are a JSON 404 for every method, and never run an action", async ({
  request,
}) => {
  for (const path of ["/api/nonexistent", "/api/me/extra", "/.well-known/x"]) {
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      const answer = await request.fetch(path, {
        method,
        headers: { "next-action": actionId("signOutAction"), origin, "content-type": "text/plain" },
        data: "[]",
      });
      expect(answer.status(), `${method} ${path}`).toBe(404);
      expect(answer.headers()["set-cookie"], `${method} ${path}`).toBeUndefined();
      expect(await answer.json()).toMatchObject({ error: "not_found" });
    }
  }
});

// Found by the security review: the proxy's matcher skipped every path that
// merely starts with /_next/image, so a forged action there reached Next.
test("an action posted to /_next/imagex is checked like any page's", async ({ request }) => {
  const headers = { "next-action": actionId("signOutAction"), origin: "https://evil.example" };
  const answer = await request.post("/_next/imagex", { headers, multipart: multipart([["0", '["$K1"]']]) });
  expect(answer.status()).toBe(403);
  expect(await answer.json()).toMatchObject({ error: "cross_site_request" });
});

test("a path with a malformed percent-escape is a 400, not Next's 500", async ({ request }) => {
  for (const path of ["/api/%zz", "/%E0%A4%A", "/account/%"]) {
    const answer = await request.get(path);
    expect(answer.status(), path).toBe(400);
    expect(await answer.json()).toMatchObject({ error: "invalid_request" });
  }
});

test("TRACE is a 405 with Allow, not Next's 500; TRACK is refused by Node's parser", async () => {
  const { requestFrom } = await import("../from-address");
  const trace = await requestFrom("127.0.0.1", `${origin}/`, { method: "TRACE" });
  expect(trace.status).toBe(405);
  expect(trace.headers.allow).toContain("GET");
  expect((await requestFrom("127.0.0.1", `${origin}/`, { method: "TRACK" })).status).toBe(400);
});

test("CONNECT is never handed to Next: the connection is closed without an answer", async () => {
  const { connect } = await import("node:net");
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () =>
      socket.write("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"),
    );
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.on("close", () => resolve(received));
    socket.on("error", reject);
    socket.setTimeout(10_000, () => {
      socket.destroy();
      reject(new Error("the connection stayed open"));
    });
  });
  expect(answer).toBe("");
  // And the server is still there.
  const { requestFrom } = await import("../from-address");
  expect((await requestFrom("127.0.0.1", `${origin}/api/health`)).status).toBe(200);
});
