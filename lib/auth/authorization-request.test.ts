import { describe, expect, it } from "vitest";
import { redirectUriAllowed } from "@/lib/auth/clients";
import { authorizationResponseUrl, parseAuthorizationRequest } from "@/lib/auth/authorization-request";
import { codeChallengeOf, verifierMatches } from "@/lib/auth/pkce";
import { parseTokenRequest } from "@/lib/auth/token-request";

const REDIRECT = "http://127.0.0.1:8765/callback";
// RFC 7636 Appendix B's example.
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

describe("PKCE S256 (RFC 7636)", () => {
  it("computes the RFC's own example, and accepts only the verifier that made the challenge", () => {
    expect(codeChallengeOf(VERIFIER)).toBe(CHALLENGE);
    expect(verifierMatches(VERIFIER, CHALLENGE)).toBe(true);
    expect(verifierMatches(`${VERIFIER}x`, CHALLENGE)).toBe(false);
    // Too short, or with a character outside the RFC's set, even if its hash matched.
    expect(verifierMatches("short", codeChallengeOf("short"))).toBe(false);
    const spaced = `${VERIFIER.slice(0, -1)} `;
    expect(verifierMatches(spaced, codeChallengeOf(spaced))).toBe(false);
  });
});

describe("loopback redirect URIs (RFC 8252 §7.3, §8.3)", () => {
  it("any port on the loopback literals, the registered path, nothing else", () => {
    for (const uri of [REDIRECT, "http://127.0.0.1/callback", "http://[::1]:4000/callback"])
      expect(redirectUriAllowed("cli", uri), uri).toBe(true);
    for (const uri of [
      "http://localhost:8765/callback",
      "https://127.0.0.1:8765/callback",
      "http://127.0.0.2:8765/callback",
      "http://127.0.0.1:8765/callback/",
      "http://127.0.0.1:8765/callback?x=1",
      "http://127.0.0.1:8765/callback#x",
      "http://a@127.0.0.1:8765/callback",
      "http://127.0.0.1:8765/x/../callback",
      "http://127.0.0.1:80/callback", // the normal form drops the default port
      "not a url",
    ])
      expect(redirectUriAllowed("cli", uri), uri).toBe(false);
    // Clients without the code flow, and unknown ones (prototype names included).
    for (const clientId of ["api", "browser", "bff", "nobody", "__proto__", "constructor"])
      expect(redirectUriAllowed(clientId, REDIRECT), clientId).toBe(false);
  });
});

describe("the authorization request", () => {
  const params = (extra: Record<string, string> = {}) =>
    new URLSearchParams({
      response_type: "code",
      client_id: "cli",
      redirect_uri: REDIRECT,
      code_challenge: CHALLENGE,
      code_challenge_method: "S256",
      state: "xyz",
      ...extra,
    });

  it("a valid one, with or without state and dpop_jkt", () => {
    expect(parseAuthorizationRequest(params())).toEqual({
      kind: "valid",
      request: { clientId: "cli", redirectUri: REDIRECT, codeChallenge: CHALLENGE, dpopJkt: null, state: "xyz" },
    });
    const noState = params();
    noState.delete("state");
    expect(parseAuthorizationRequest(noState)).toMatchObject({ kind: "valid", request: { state: null } });
    expect(parseAuthorizationRequest(params({ dpop_jkt: CHALLENGE }))).toMatchObject({
      request: { dpopJkt: CHALLENGE },
    });
  });

  it("a client or redirect URI it cannot trust is refused, never redirected to", () => {
    const twice = params();
    twice.append("client_id", "cli");
    for (const query of [params({ client_id: "api" }), params({ redirect_uri: "https://x.example/cb" }), twice])
      expect(parseAuthorizationRequest(query).kind).toBe("refused");
  });

  it("anything else goes back to the client, with its state", () => {
    const twice = params();
    twice.append("code_challenge", CHALLENGE);
    for (const [query, error] of [
      [params({ response_type: "token" }), "unsupported_response_type"],
      [params({ code_challenge_method: "plain" }), "invalid_request"],
      [params({ code_challenge: "" }), "invalid_request"],
      [params({ dpop_jkt: "not-a-thumbprint" }), "invalid_request"],
      [params({ response_type: "" }), "invalid_request"],
      [params({ state: "s".repeat(513) }), "invalid_request"],
      [twice, "invalid_request"],
    ] as const)
      expect(parseAuthorizationRequest(query)).toMatchObject({
        kind: "redirect_error",
        redirectUri: REDIRECT,
        error: { code: error },
      });
  });

  it("the response URL carries the answer, state and iss, and nothing else", () => {
    const url = new URL(authorizationResponseUrl(REDIRECT, "a&b=c", { code: "the-code" }));
    expect(Object.fromEntries(url.searchParams)).toEqual({ code: "the-code", state: "a&b=c", iss: expect.any(String) });
  });
});

describe("the token endpoint's form requests", () => {
  const form = (fields: Record<string, string>) => parseTokenRequest(new URLSearchParams(fields));

  it("reads the two grants", () => {
    expect(
      form({
        grant_type: "authorization_code",
        client_id: "cli",
        code: "c",
        redirect_uri: REDIRECT,
        code_verifier: "v",
      }),
    ).toEqual({
      ok: true,
      value: { grant: "authorization_code", clientId: "cli", code: "c", redirectUri: REDIRECT, codeVerifier: "v" },
    });
    expect(form({ grant_type: "refresh_token", client_id: "cli", refresh_token: "r" })).toEqual({
      ok: true,
      value: { grant: "refresh_token", clientId: "cli", refreshToken: "r" },
    });
  });

  it("refuses as RFC 6749 §5.2 says", () => {
    const repeated = new URLSearchParams({ grant_type: "refresh_token", client_id: "cli", refresh_token: "r" });
    repeated.append("refresh_token", "s");
    expect(parseTokenRequest(repeated)).toMatchObject({ ok: false, error: { code: "invalid_request" } });
    expect(form({ grant_type: "password" })).toMatchObject({ error: { code: "unsupported_grant_type" } });
    expect(form({})).toMatchObject({ error: { code: "invalid_request" } });
    expect(form({ grant_type: "refresh_token", refresh_token: "r" })).toMatchObject({
      error: { code: "invalid_request" },
    });
    expect(form({ grant_type: "refresh_token", client_id: "toString", refresh_token: "r" })).toMatchObject({
      error: { code: "invalid_client" },
    });
    expect(form({ grant_type: "refresh_token", client_id: "cli", refresh_token: "r".repeat(2049) })).toMatchObject({
      error: { code: "invalid_request" },
    });
  });
});
