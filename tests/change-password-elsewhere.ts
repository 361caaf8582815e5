// Another process on the same database (a second app instance) changing a
// user's password as lib/auth/password-change.ts does, for the race test in
// lib/auth/credential-version.db.test.ts. Prisma runs one interactive
// transaction at a time per client, so the race needs a client of its own.
// argv: the user's id and the credential version its password was checked at.
// Prints "ready" when connected, then the change's outcome as JSON.
import { closeDatabase, dbReady } from "@/lib/db";
import { replaceCredential } from "@/lib/auth/credential-version";
import { revokeUserFamilies } from "@/lib/auth/refresh";
import { invalidateUserSessions } from "@/lib/auth/session";

const [id, version] = process.argv.slice(2);
const user = { id: id!, credentialVersion: Number(version) };
await dbReady();
console.log("ready");
const changed = await replaceCredential(user, "changed elsewhere", async (tx) => ({
  sessions: await invalidateUserSessions(user.id, {}, tx),
  families: await revokeUserFamilies(user.id, "password_changed", new Date(), tx),
}));
console.log(JSON.stringify(changed));
await closeDatabase();
