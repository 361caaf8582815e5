import { describe, expect, it } from "vitest";
import { compactVerify, exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { decodeJwt, decodePart, encodePart } from "../jwt-decode";
import {
  ATTACKER_JKU,
  ATTACKER_KID,
  buildAttack,
  createAttackerKey,
  publicKeyPem,
  type AttackerKey,
  type AttackInputs,
} from "./attacks";
import { shareFragment, tokenFromFragment } from "./share";
import { verifySignature } from "./verify";

async function issuer() {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid: "server-key", alg: "ES256", use: "sig" };
  const token = await new SignJWT({ sub: "user-1", email: "ada@example.com", jti: "j1", sid: "f1" })
    .setProtectedHeader({ alg: "ES256", kid: "server-key", typ: "at+jwt" })
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(privateKey);
  return { token, publicJwk, jwks: { keys: [publicJwk] } };
}

async function inputs(): Promise<AttackInputs & { jwks: { keys: JWK[] }; attackerKey: AttackerKey }> {
  const server = await issuer();
  return {
    token: server.token,
    serverKey: server.publicJwk,
    jwks: server.jwks,
    attackerKey: await createAttackerKey(),
    flawed: null,
  };
}

describe("the workbench's attacks", () => {
  it("the original verifies against the server's key set, a pasted JWK and its PEM", async () => {
    const { token, jwks, serverKey } = await inputs();
    expect(await verifySignature(token, jwks)).toEqual({ ok: true, alg: "ES256", kid: "server-key" });
    expect((await verifySignature(token, { text: JSON.stringify(serverKey) })).ok).toBe(true);
    expect((await verifySignature(token, { text: await publicKeyPem(serverKey!) })).ok).toBe(true);
  });

  it("an edited claim keeps the old signature, which no longer verifies", async () => {
    const all = await inputs();
    const forged = await buildAttack("claim-edit", all);
    expect(decodeJwt(forged)!.payload.sub).toBe("someone-else");
    expect(forged.split(".")[2]).toBe(all.token.split(".")[2]);
    expect(await verifySignature(forged, all.jwks)).toMatchObject({
      ok: false,
      code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
    });
  });

  it("alg: none has an empty signature and is never verified", async () => {
    const all = await inputs();
    const forged = await buildAttack("alg-none", all);
    expect(decodeJwt(forged)!.header.alg).toBe("none");
    expect(forged.endsWith(".")).toBe(true);
    expect(await verifySignature(forged, all.jwks)).toMatchObject({ ok: false, code: "ERR_JOSE_ALG_NOT_ALLOWED" });
  });

  it("the HS256 confusion is a real HMAC keyed with the server's public key as PEM", async () => {
    const all = await inputs();
    const forged = await buildAttack("hs256-public-key", all);
    expect(decodeJwt(forged)!.header).toMatchObject({ alg: "HS256", kid: "server-key", typ: "at+jwt" });
    const secret = new TextEncoder().encode(await publicKeyPem(all.serverKey!));
    await expect(compactVerify(forged, secret, { algorithms: ["HS256"] })).resolves.toBeTruthy();
    // A public key is not a secret: the check refuses HMAC before looking at any key.
    expect(await verifySignature(forged, all.jwks)).toMatchObject({ ok: false, code: "ERR_JOSE_ALG_NOT_ALLOWED" });
    await expect(buildAttack("hs256-public-key", { ...all, serverKey: null })).rejects.toThrow(/no key/);
  });

  it("the attacker's own key signs the foreign-kid, jku and jwk tokens, and the server's key set verifies none", async () => {
    const all = await inputs();
    for (const id of ["foreign-kid", "jku", "jwk"] as const) {
      const forged = await buildAttack(id, all);
      const { header, payload } = decodeJwt(forged)!;
      expect(header.kid).toBe(ATTACKER_KID);
      expect(payload.sub).toBe("user-1");
      expect((await verifySignature(forged, { keys: [all.attackerKey.publicJwk] })).ok).toBe(true);
      expect((await verifySignature(forged, all.jwks)).ok).toBe(false);
    }
    expect(decodeJwt(await buildAttack("jku", all))!.header.jku).toBe(ATTACKER_JKU);
    expect(decodeJwt(await buildAttack("jwk", all))!.header.jwk).toEqual(all.attackerKey.publicJwk);
    await expect(buildAttack("jwk", { ...all, attackerKey: null })).rejects.toThrow(/page's own/);
  });

  it("the issuer-signed flaws come from the issuer, or not at all", async () => {
    const all = await inputs();
    await expect(buildAttack("expired", all)).rejects.toThrow(/issuer/);
    const flawed = { expired: "e.e.e", wrong_audience: "a.a.a", wrong_type: "t.t.t" };
    expect(await buildAttack("expired", { ...all, flawed })).toBe("e.e.e");
    expect(await buildAttack("wrong-audience", { ...all, flawed })).toBe("a.a.a");
    expect(await buildAttack("wrong-type", { ...all, flawed })).toBe("t.t.t");
  });

  it("a pasted key that is not a key is said so", async () => {
    const { token } = await inputs();
    for (const text of ["not a key", "null", "42"])
      expect(await verifySignature(token, { text })).toEqual({
        ok: false,
        code: "ERR_INPUT",
        reason: "Not a PEM public key, a JWK or a JWKS.",
      });
  });
});

describe("a shared workbench link", () => {
  it("carries the header and payload, never the signature", async () => {
    const { token } = await inputs();
    const fragment = shareFragment(token)!;
    expect(fragment).toMatch(/^#workbench=/);
    // What the link holds, decoded: exactly a header and a payload.
    expect(Object.keys(decodePart(fragment.slice("#workbench=".length))!)).toEqual(["header", "payload"]);
    expect(fragment).not.toContain(token.split(".")[2]);
    const shared = tokenFromFragment(fragment)!;
    expect(shared.endsWith(".")).toBe(true);
    expect(decodeJwt(shared)).toMatchObject({ header: decodeJwt(token)!.header, payload: decodeJwt(token)!.payload });
  });

  it("is refused when it is not a header and a payload", () => {
    expect(tokenFromFragment("#other")).toBeNull();
    expect(tokenFromFragment("#workbench=!!!")).toBeNull();
    for (const json of ['{"header":1,"payload":{}}', "null", "[]", '{"header":{}}'])
      expect(tokenFromFragment(`#workbench=${btoa(json)}`), json).toBeNull();
  });
});

describe("encoding a part", () => {
  it("handles a payload of a megabyte", () => {
    const big = { data: "x".repeat(1_000_000) };
    expect(decodePart(encodePart(big))).toEqual(big);
  });
});
