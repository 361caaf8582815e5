// npm run keys:rotate: schedules a new signing key. It is published in the
// JWKS at once and signs only after the JWKS's max-age (plus a few seconds),
// so no verifier that honours Cache-Control ever meets a token signed by a
// key it has not fetched. Older keys stay in the JWKS until every token they
// signed has expired.
//   npm run keys:rotate            scheduled (the safe default)
//   npm run keys:rotate -- --now   immediate, for a key that must stop signing now
import { parseArgs } from "node:util";
import { rotateSigningKey } from "@/lib/auth/keys";
import { recordEvent } from "@/lib/auth/events";
import { config, readDatabaseConfig } from "@/lib/config";
import { closeDatabase } from "@/lib/db";
import { migrateIfNeeded } from "@/scripts/db";
import { ensureSecretsFile } from "@/scripts/secrets";

const { values } = parseArgs({ options: { now: { type: "boolean", default: false } } });
ensureSecretsFile();
await migrateIfNeeded(readDatabaseConfig().url);
const rotation = await rotateSigningKey(new Date(), { immediate: values.now });
const { key, activatesAt } = rotation;
if (!rotation.alreadyScheduled) {
  await recordEvent({
    type: "keys.rotated",
    mechanism: "jwt",
    detail: { kid: key.kid, alg: key.alg, immediate: values.now, activates_at: activatesAt.toISOString() },
  });
}
await closeDatabase();
const maxAge = `${Math.round(config().jwt.jwksMaxAgeMs / 1000)} s`;
const inSeconds = Math.max(0, Math.round((activatesAt.getTime() - Date.now()) / 1000));
if (rotation.immediate) {
  console.log(
    `New signing key ${key.kid} (${key.alg}) signs now; this app's instances verify its tokens at once.\n` +
      `What this breaks: a service outside this app that cached the JWKS (up to ${maxAge}, its Cache-Control max-age) ` +
      `refuses the new key's tokens until it fetches the JWKS again (jose's createRemoteJWKSet refetches on an unknown kid ` +
      `at most every 30 s). The previous key still verifies the tokens it signed until they expire.`,
  );
} else {
  console.log(
    `${rotation.alreadyScheduled ? "A rotation is already scheduled: key" : "New signing key"} ${key.kid} (${key.alg}) ` +
      `is in the JWKS now and starts signing at ${activatesAt.toISOString()} (in ${inSeconds} s), after every verifier ` +
      `that honours the JWKS's max-age (${maxAge}) has fetched it. Until then the current key signs.`,
  );
}
