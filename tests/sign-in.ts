// Database tests sign users in directly, as a password check would let them:
// the credential version is the one the user row carries. A refusal (the
// password changed meanwhile) is a failure here, never an expected outcome.
import type { CredentialHolder } from "@/lib/auth/credential-version";
import { startRefreshFamily } from "@/lib/auth/refresh";
import { createSession } from "@/lib/auth/session";
import type { ClientInfo } from "@/lib/http";

export async function signedInSession(user: CredentialHolder, client: ClientInfo, now?: Date) {
  const created = await createSession(user, client, now);
  if (!created) throw new Error(`createSession refused ${user.id} at credential version ${user.credentialVersion}`);
  return created;
}

export async function signedInFamily(user: CredentialHolder, clientId: string, now?: Date, client?: ClientInfo) {
  const family = await startRefreshFamily(user, clientId, now, client);
  if (!family) throw new Error(`startRefreshFamily refused ${user.id} at credential version ${user.credentialVersion}`);
  return family;
}
