// What /performance/page-baseline renders: the account page's body from a
// sample made up on each request (nothing read, nothing stored), so the
// benchmark can weigh /account against the same page without a session.
import { config } from "@/lib/config";
import { describeSession, type SessionView } from "@/lib/auth/session";

export const SAMPLE_EMAIL = "sample@example.invalid";

export function sampleSession(now = new Date()): SessionView {
  const id = "sample0session0record0id";
  return describeSession(
    {
      id,
      tokenHash: "0".repeat(64),
      userId: "sample-user",
      createdAt: now,
      lastSeenAt: now,
      absoluteExpiresAt: new Date(now.getTime() + config().session.absoluteTimeoutMs),
      // TEST-NET-1 (RFC 5737), an address for documentation.
      ip: "192.0.2.1",
      userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36",
      credentialVersion: 0,
      heldTokens: null,
    },
    id,
  );
}
