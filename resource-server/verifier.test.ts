import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { createVerifier, discover, freshnessOf } from "./verifier";

describe("freshnessOf", () => {
  const answer = (headers: Record<string, string>) => new Response("{}", { headers });
  it("keeps a JWKS for its max-age less its Age, and not at all when told not to", () => {
    expect(freshnessOf(answer({ "cache-control": "public, max-age=60" }))).toBe(60_000);
    expect(freshnessOf(answer({ "cache-control": "public, max-age=60", age: "45" }))).toBe(15_000);
    expect(freshnessOf(answer({ "cache-control": "max-age=60", age: "90" }))).toBe(0);
    expect(freshnessOf(answer({ "cache-control": "public, max-age=0" }))).toBe(0);
    expect(freshnessOf(answer({ "cache-control": "no-cache, max-age=60" }))).toBe(0);
    expect(freshnessOf(answer({ "cache-control": "no-store" }))).toBe(0);
    expect(freshnessOf(answer({}))).toBe(600_000);
  });
});

// An issuer on loopback whose JWKS answer the test controls.
async function issuer() {
  const state: { keys: JWK[]; status: number; fetches: number } = { keys: [], status: 200, fetches: 0 };
  const server = http.createServer((_, response) => {
    state.fetches++;
    response.writeHead(state.status, { "content-type": "application/json", "cache-control": "public, max-age=1" });
    response.end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, state, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function keyPair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" };
  const sign = (iss: string) =>
    new SignJWT({ email: "a@example.com", client_id: "api", jti: crypto.randomUUID(), sid: "f" })
      .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid })
      .setIssuer(iss)
      .setAudience("api")
      .setSubject("user-1")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(privateKey);
  return { jwk, sign };
}

describe("createVerifier", () => {
  let stop: (() => Promise<unknown>) | null = null;
  afterEach(async () => {
    await stop?.();
    stop = null;
  });

  it("refetches the JWKS once its max-age has passed, so a key published since is known (jose alone waits 30 s)", async () => {
    const { url, state, close } = await issuer();
    stop = close;
    const [first, second] = await Promise.all([keyPair("k1"), keyPair("k2")]);
    state.keys = [first.jwk];
    const verify = createVerifier({ issuer: url, jwks_uri: `${url}/jwks` }, "api");
    expect(await verify(await first.sign(url))).toMatchObject({ kid: "k1", fetchedKeys: true });
    expect(await verify(await first.sign(url))).toMatchObject({ kid: "k1", fetchedKeys: false });
    // The issuer publishes a second key; a token signed by it arrives after max-age (1 s).
    state.keys = [first.jwk, second.jwk];
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await verify(await second.sign(url))).toMatchObject({ kid: "k2", fetchedKeys: true });
    expect(state.fetches).toBe(2);
  });

  it("drops a withdrawn key within max-age, and keeps its copy while the issuer cannot answer", async () => {
    const { url, state, close } = await issuer();
    stop = close;
    const [first, second] = await Promise.all([keyPair("k1"), keyPair("k2")]);
    state.keys = [first.jwk, second.jwk];
    const verify = createVerifier({ issuer: url, jwks_uri: `${url}/jwks` }, "api");
    await verify(await first.sign(url));
    // k1 withdrawn (an emergency rotation). Once max-age has passed, the
    // check that finds the copy stale still uses it (no check waits for the
    // issuer) and refetches meanwhile; from then on k1 is refused.
    state.keys = [second.jwk];
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await verify(await first.sign(url))).toMatchObject({ kid: "k1", fetchedKeys: false });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(state.fetches).toBe(2);
    await expect(verify(await first.sign(url))).rejects.toThrow("a key the issuer does not publish");
    // The issuer fails: the copy in hand still verifies (stale-if-error),
    // and the next checks do not wait for it.
    state.status = 503;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await verify(await second.sign(url))).toMatchObject({ kid: "k2", fetchedKeys: false });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const fetchesAfterFailure = state.fetches;
    expect(await verify(await second.sign(url))).toMatchObject({ kid: "k2" });
    expect(state.fetches).toBe(fetchesAfterFailure);
  });

  it("no longer trusts a copy it could not refresh for an hour", async () => {
    const { url, state, close } = await issuer();
    stop = close;
    const { jwk, sign } = await keyPair("k1");
    state.keys = [jwk];
    const verify = createVerifier({ issuer: url, jwks_uri: `${url}/jwks` }, "api");
    await verify(await sign(url));
    state.status = 503;
    vi.useFakeTimers({ now: Date.now() + 61 * 60_000, toFake: ["Date"] });
    try {
      await expect(verify(await sign(url))).rejects.toMatchObject({ unavailable: true });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("an issuer that never answered with keys", () => {
  it("is a 503-kind refusal (unavailable), not a bad token; a malformed token is a bad token", async () => {
    const { url, state, close } = await issuer();
    try {
      state.status = 503;
      const { sign } = await keyPair("k1");
      const verify = createVerifier({ issuer: url, jwks_uri: `${url}/jwks` }, "api");
      await expect(verify(await sign(url))).rejects.toMatchObject({ unavailable: true });
      await expect(verify("not-a-jwt")).rejects.toMatchObject({ unavailable: false });
    } finally {
      await close();
    }
  });
});

describe("discover", () => {
  // An issuer whose metadata document says whatever `metadata` returns.
  async function issuerSaying(metadata: (origin: string) => Record<string, unknown>) {
    const server = http.createServer((_, response) => {
      const { port } = server.address() as AddressInfo;
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify(metadata(`http://127.0.0.1:${port}`)));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { issuer: `http://127.0.0.1:${port}`, close: () => server.close() };
  }

  it("follows metadata that names its issuer and keeps its endpoints there", async () => {
    const honest = await issuerSaying((origin) => ({
      issuer: origin,
      jwks_uri: `${origin}/.well-known/jwks.json`,
      introspection_endpoint: `${origin}/api/auth/introspect`,
    }));
    expect((await discover(honest.issuer)).jwks_uri).toBe(`${honest.issuer}/.well-known/jwks.json`);
    honest.close();
  });

  it("refuses metadata that names another issuer, or sends keys or introspection elsewhere (RFC 8414 §3.3)", async () => {
    for (const [what, lie] of [
      ["another issuer", (origin: string) => ({ issuer: "https://other.example", jwks_uri: `${origin}/jwks` })],
      ["keys elsewhere", (origin: string) => ({ issuer: origin, jwks_uri: "https://attacker.example/jwks" })],
      [
        "introspection elsewhere",
        (origin: string) => ({
          issuer: origin,
          jwks_uri: `${origin}/jwks`,
          introspection_endpoint: "https://attacker.example/x",
        }),
      ],
    ] as const) {
      const lying = await issuerSaying(lie);
      await expect(discover(lying.issuer), what).rejects.toThrow(/discovery (names issuer|points outside the issuer)/);
      lying.close();
    }
  });
});
