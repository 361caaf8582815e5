// npm run keys:rotate: adds a new current signing key. Older keys stay in the
// JWKS until every token they signed has expired.
import { rotateSigningKey } from "@/lib/auth/keys";
import { recordEvent } from "@/lib/auth/events";
import { readDatabaseConfig } from "@/lib/config";
import { closeDatabase } from "@/lib/db";
import { migrateIfNeeded } from "@/scripts/db";
import { ensureSecretsFile } from "@/scripts/secrets";

ensureSecretsFile();
await migrateIfNeeded(readDatabaseConfig().url);
const key = await rotateSigningKey();
await recordEvent({ type: "keys.rotated", mechanism: "jwt", detail: { kid: key.kid, alg: key.alg } });
await closeDatabase();
console.log(`New current signing key ${key.kid} (${key.alg}). Other instances pick it up within 30 s.`);
