// Where the command-line client keeps its tokens between runs, as a phone
// app keeps them in its keychain: one file, readable by this user only
// (mode 0600, its folder 0700), replaced whole so a crash never leaves half
// a file behind.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import type { DpopKey } from "./dpop";

export type Credentials = {
  url: string;
  email: string;
  access_token: string;
  refresh_token: string;
  // Epoch milliseconds.
  access_expires_at: number;
  refresh_expires_at: number;
  // The DPoP key the tokens are bound to (code + PKCE sign-ins); none for
  // the legacy password sign-in, whose tokens are Bearer.
  dpop_key?: DpopKey;
};

export function credentialsFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SVJ_CREDENTIALS_FILE) return path.resolve(env.SVJ_CREDENTIALS_FILE);
  const configHome = env.XDG_CONFIG_HOME || path.join(homedir(), ".config");
  return path.join(configHome, "session-vs-jwt", "credentials.json");
}

export function loadCredentials(file: string): Credentials | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, "utf8")) as Credentials;
}

export function saveCredentials(file: string, credentials: Credentials): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // A fresh, unguessable name, created exclusively: a file someone else
  // placed there first is never written into.
  const temporary = `${file}.${randomBytes(8).toString("hex")}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  renameSync(temporary, file);
}

export function deleteCredentials(file: string): void {
  rmSync(file, { force: true });
}
