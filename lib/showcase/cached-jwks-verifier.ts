// What a service outside this app does with our tokens: fetch the JWKS over
// HTTP, keep it exactly as long as its Cache-Control max-age allows, and
// verify with what it has. It never asks our database, so it knows only
// keys it has fetched; the key-rotation scenario uses it to show what a
// rotation does to such a service.
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { config } from "@/lib/config";
import { ACCESS_TOKEN_TYPE } from "@/lib/auth/jwt";
import { freshnessOf } from "@/resource-server/verifier";

export class CachedJwksVerifier {
  private keys: ReturnType<typeof createLocalJWKSet> | null = null;
  private expiresAt = 0;
  fetches = 0;

  constructor(private readonly jwksUrl: string) {}

  // As long as the answer's Cache-Control allows: read as the resource
  // server reads it, another service's code on purpose.
  private async fetchKeys(now: number): Promise<void> {
    const response = await fetch(this.jwksUrl);
    this.keys = createLocalJWKSet((await response.json()) as JSONWebKeySet);
    this.expiresAt = now + freshnessOf(response);
    this.fetches++;
  }

  // Whether the next check uses a copy fetched before it (no fetch).
  holdsCopy(now = Date.now()): boolean {
    return this.keys !== null && now < this.expiresAt;
  }

  async verify(token: string): Promise<boolean> {
    const now = Date.now();
    if (!this.keys || now >= this.expiresAt) await this.fetchKeys(now);
    const { issuer, audience, algorithm } = config().jwt;
    try {
      await jwtVerify(token, this.keys!, { issuer, audience, typ: ACCESS_TOKEN_TYPE, algorithms: [algorithm] });
      return true;
    } catch {
      return false;
    }
  }
}
