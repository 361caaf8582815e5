// What the app keeps on disk holds secrets and personal data: the SQLite
// database (emails, bcrypt hashes, the addresses in the audit log) and the
// generated secrets file. Readable by this user only: the database files
// 0600, the folders the app makes for them 0700. Found by the third
// security review: data/ was 0755 and app.db 0644 (the secrets file
// already 0600), so any local user could read the accounts.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";

// The app's own folder (the default place of both): tightened even when an
// older version made it, which no folder named by a setting is (it may be
// shared, such as /tmp).
const OWN_FOLDER = "data";

export function ensurePrivateFolder(folder: string): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  if (path.resolve(folder) === path.resolve(OWN_FOLDER)) chmodSync(folder, 0o700);
}

// SQLite makes its -wal, -shm and -journal files with the database file's
// own permissions, so the database is made (or tightened) before it is opened.
export function ensurePrivateSqliteFile(file: string): void {
  ensurePrivateFolder(path.dirname(file));
  if (!existsSync(file)) closeSync(openSync(file, "a", 0o600));
  // The ignore marks the call Turbopack traces: without it, every file of
  // the project would be copied into the build's server output.
  for (const name of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`])
    if (existsSync(/*turbopackIgnore: true*/ name)) chmodSync(name, 0o600);
}
