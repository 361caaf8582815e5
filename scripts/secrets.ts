// Zero-config demo: creates the git-ignored secrets file on first run and
// leaves it alone afterwards. Skipped when the secrets come from the environment.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { secretsFilePath } from "@/lib/config";

export function ensureSecretsFile(): void {
  if (process.env.AUTH_SECRET || process.env.SESSION_PASSWORDS) return;
  const file = secretsFilePath();
  if (existsSync(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const secrets = {
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    SESSION_PASSWORDS: `1:${randomBytes(32).toString("base64url")}`,
  };
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  console.log(`Generated demo secrets in ${file} (git-ignored; delete it to start over).`);
}
