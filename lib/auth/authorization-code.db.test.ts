import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { CODE_TTL_MS, issueAuthorizationCode, redeemAuthorizationCode } from "@/lib/auth/authorization-code";
import { codeChallengeOf } from "@/lib/auth/pkce";

const client = { ip: "192.0.2.8", userAgent: "vitest" };
const REDIRECT = "http://127.0.0.1:8765/callback";
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

afterAll(() => db().$disconnect());

async function codeFor(now = new Date()) {
  const user = await db().user.create({ data: { email: `c-${randomUUID()}@example.com`, passwordHash: "x" } });
  const grant = { clientId: "cli", redirectUri: REDIRECT, codeChallenge: codeChallengeOf(VERIFIER), dpopJkt: null };
  const code = await issueAuthorizationCode(grant, { id: user.id, credentialVersion: 0 }, now);
  const exchange = { code, clientId: "cli", redirectUri: REDIRECT, codeVerifier: VERIFIER, dpopJkt: null };
  return { user, code, exchange };
}

const familiesOf = (userId: string) => db().refreshFamily.findMany({ where: { userId } });

describe("authorization codes", () => {
  it("are stored as a hash only", async () => {
    const { code, user } = await codeFor();
    const row = await db().authorizationCode.findFirstOrThrow({ where: { userId: user.id } });
    expect(JSON.stringify(row)).not.toContain(code);
  });

  it("exchanged twice at once: whichever order they finish in, nothing the code issued stays valid", async () => {
    for (let round = 0; round < 5; round++) {
      const { user, exchange } = await codeFor();
      const answers = await Promise.all([
        redeemAuthorizationCode(exchange, client),
        redeemAuthorizationCode(exchange, client),
      ]);
      expect(answers.filter((answer) => answer.ok).length).toBeLessThanOrEqual(1);
      expect(answers.some((answer) => !answer.ok && answer.error.code === "reused")).toBe(true);
      const families = await familiesOf(user.id);
      expect(families.length).toBeLessThanOrEqual(1);
      for (const family of families) expect(family.revokedReason).toBe("code_reused");
    }
  });

  it("refuses an exchange after the password changed, or after its 60 s", async () => {
    const changed = await codeFor();
    await db().user.update({ where: { id: changed.user.id }, data: { credentialVersion: 1 } });
    expect(await redeemAuthorizationCode(changed.exchange, client)).toMatchObject({
      ok: false,
      error: { code: "password_changed" },
    });
    expect(await familiesOf(changed.user.id)).toEqual([]);

    const issued = new Date();
    const late = await codeFor(issued);
    expect(
      await redeemAuthorizationCode(late.exchange, client, new Date(issued.getTime() + CODE_TTL_MS)),
    ).toMatchObject({ ok: false, error: { code: "expired" } });
  });

  it("a code bound to a DPoP key is refused without that key's thumbprint", async () => {
    const user = await db().user.create({ data: { email: `c-${randomUUID()}@example.com`, passwordHash: "x" } });
    const jkt = codeChallengeOf("some key");
    const code = await issueAuthorizationCode(
      { clientId: "cli", redirectUri: REDIRECT, codeChallenge: codeChallengeOf(VERIFIER), dpopJkt: jkt },
      { id: user.id, credentialVersion: 0 },
    );
    const exchange = { code, clientId: "cli", redirectUri: REDIRECT, codeVerifier: VERIFIER };
    expect(await redeemAuthorizationCode({ ...exchange, dpopJkt: null }, client)).toMatchObject({
      error: { code: "mismatch" },
    });
    expect((await redeemAuthorizationCode({ ...exchange, dpopJkt: jkt }, client)).ok).toBe(true);
  });
});
