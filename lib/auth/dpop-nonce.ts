// Server-provided DPoP nonces (RFC 9449 §8, §9), when DPOP_NONCE is on: a
// proof must then carry a nonce this server gave out recently, so a proof
// signed ahead of time (by script that had the key for a moment, say) goes
// stale within minutes whatever its iat says. Stateless: an HMAC of the
// current five-minute window under a key derived from AUTH_SECRET, so
// every instance gives out and accepts the same nonces, with nothing stored.
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { config } from "@/lib/config";

const WINDOW_MS = 5 * 60_000;

function nonceKey(): Buffer {
  return Buffer.from(hkdfSync("sha256", config().secrets.authSecret, "session-vs-jwt dpop", "nonce-v1", 32));
}

function nonceFor(window: number): string {
  return createHmac("sha256", nonceKey()).update(String(window)).digest("base64url");
}

export function currentDpopNonce(now = Date.now()): string {
  return nonceFor(Math.floor(now / WINDOW_MS));
}

// This window's nonce or the previous one's: a nonce lives 5 to 10 minutes.
export function isCurrentDpopNonce(nonce: unknown, now = Date.now()): boolean {
  if (typeof nonce !== "string") return false;
  const window = Math.floor(now / WINDOW_MS);
  const given = Buffer.from(nonce);
  return [window, window - 1].some((w) => {
    const expected = Buffer.from(nonceFor(w));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}
