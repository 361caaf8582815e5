// Zero-config demo: creates the git-ignored secrets file on first run, and
// adds any secret a newer version needs to a file made by an older one;
// never changes a secret already there. Skipped when the secrets come from
// the environment.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { secretsFilePath } from "@/lib/config";
import { ensurePrivateFolder } from "@/lib/private-files";

export const DEMO_RESOURCE_SERVER_ID = "resource-server";

const random = () => randomBytes(32).toString("base64url");

function newSecrets(): Record<string, string> {
  return {
    AUTH_SECRET: random(),
    SESSION_PASSWORDS: `1:${random()}`,
    INTROSPECTION_CLIENTS: `${DEMO_RESOURCE_SERVER_ID}:${random()}`,
  };
}

// A file that does not parse is left for lib/config.ts to report (by
// position only: a parser's message would quote the secrets).
function readExisting(file: string): Record<string, string> | null | "unreadable" {
  if (!existsSync(file)) return null;
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, string>)
      : "unreadable";
  } catch {
    return "unreadable";
  }
}

export function ensureSecretsFile(): void {
  if (process.env.AUTH_SECRET || process.env.SESSION_PASSWORDS) return;
  const file = secretsFilePath();
  const existing = readExisting(file);
  if (existing === "unreadable") return;
  const secrets = { ...newSecrets(), ...existing };
  const added = Object.keys(secrets).filter((name) => !existing || !(name in existing));
  if (added.length === 0) return;
  ensurePrivateFolder(path.dirname(file));
  // Written beside it and renamed over it: a crash mid-write must not cost
  // the secrets already there, and the result is 0600 even if the old file
  // was not.
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
  console.log(
    existing
      ? `Added ${added.join(", ")} to ${file}.`
      : `Generated demo secrets in ${file} (git-ignored; delete it to start over).`,
  );
}
