import { createHash, randomUUID } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { checkDpopProof, proofRecordExpiry } from "@/shared/dpop-proof";
import { createReplayRecord } from "@/resource-server/dpop-replay";

const URL_ = "https://api.example/api/me";
const now = new Date("2026-12-07T12:00:00Z");
const iat = Math.floor(now.getTime() / 1000);

async function key(alg = "ES256") {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk: JWK = await exportJWK(publicKey);
  const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    new SignJWT({ jti: randomUUID(), iat, htm: "GET", htu: URL_, ...claims })
      .setProtectedHeader({ alg, typ: "dpop+jwt", jwk, ...header })
      .sign(privateKey);
  return { jwk, sign, privateKey, publicKey };
}

describe("a DPoP proof (RFC 9449 §4.3)", () => {
  it("is accepted for its method, its URL (normalised, query and fragment aside) and its token; gives the key's thumbprint", async () => {
    const k = await key();
    const token = "the.access.token";
    const ath = createHash("sha256").update(token).digest("base64url");
    const proof = await k.sign({ ath, htu: "HTTPS://API.example:443/api/me?x=1#y" });
    const checked = await checkDpopProof(proof, { method: "GET", url: URL_, accessToken: token }, now);
    expect(checked).toMatchObject({ ok: true, value: { jkt: await calculateJwkThumbprint(k.jwk, "sha256"), iat } });
    const ed = await key("EdDSA");
    expect((await checkDpopProof(await ed.sign({}), { method: "GET", url: URL_ }, now)).ok).toBe(true);
  });

  it("is refused for anything else, with a reason", async () => {
    const k = await key();
    const { privateKey: otherPrivate } = await generateKeyPair("ES256");
    const ctx = { method: "GET", url: URL_ };
    const cases: [string, string | null][] = [
      ["no proof", null],
      ["not a JWT", "a.b"],
      ["typ JWT", await k.sign({}, { typ: "JWT" })],
      ["another method", await k.sign({ htm: "POST" })],
      ["another URL", await k.sign({ htu: "https://api.example/api/other" })],
      ["another origin", await k.sign({ htu: "https://evil.example/api/me" })],
      ["two minutes old", await k.sign({ iat: iat - 120 })],
      ["a minute ahead", await k.sign({ iat: iat + 60 })],
      ["no jti", await k.sign({ jti: undefined })],
      ["a private key in the header", await k.sign({}, { jwk: { ...(await exportJWK(k.privateKey)) } })],
      ["no key in the header", await k.sign({}, { jwk: undefined })],
      [
        "signed by another key than it carries",
        await new SignJWT({ jti: "j", iat, htm: "GET", htu: URL_ })
          .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: k.jwk })
          .sign(otherPrivate),
      ],
      ["an algorithm not allowed", await (await key("RS256")).sign({})],
      // Members the import turns into strings but the thumbprint cannot read.
      ["a key with odd members", await k.sign({}, { jwk: { ...k.jwk, x: [k.jwk.x] } })],
    ];
    for (const [what, proof] of cases) {
      const checked = await checkDpopProof(proof, ctx, now);
      expect(checked.ok, what).toBe(false);
      if (!checked.ok) expect(checked.error.code, what).toBe("invalid_dpop_proof");
    }
    // At a resource, a proof without ath, or for another token.
    expect((await checkDpopProof(await k.sign({}), { ...ctx, accessToken: "t" }, now)).ok).toBe(false);
    expect((await checkDpopProof(await k.sign({ ath: "x" }), { ...ctx, accessToken: "t" }, now)).ok).toBe(false);
  });
});

describe("the resource server's replay record", () => {
  it("takes a proof once while it could be accepted, and again only after", () => {
    const record = createReplayRecord();
    const expires = proofRecordExpiry(iat);
    expect(record.take("k", "j", expires, now.getTime())).toBe(true);
    expect(record.take("k", "j", expires, now.getTime() + 1000)).toBe(false);
    expect(record.take("other-key", "j", expires, now.getTime())).toBe(true);
    expect(record.take("k", "j", expires, expires.getTime() + 1)).toBe(true);
  });

  it("holds at most 1,000 live proofs of one key, so one client cannot crowd out the others", () => {
    const record = createReplayRecord();
    const expires = proofRecordExpiry(iat);
    for (let i = 0; i < 1000; i++) expect(record.take("busy", `j${i}`, expires, now.getTime())).toBe(true);
    expect(record.take("busy", "one-more", expires, now.getTime())).toBe(false);
    expect(record.take("quiet", "j0", expires, now.getTime())).toBe(true);
    // Once they expire, the busy key may go on.
    expect(record.take("busy", "later", proofRecordExpiry(iat + 120), expires.getTime())).toBe(true);
  });

  it("keeps a proof's record past the last second its age check accepts it", () => {
    expect(proofRecordExpiry(iat).getTime()).toBe((iat + 66) * 1000);
  });
});
