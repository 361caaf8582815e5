import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureSecretsFile } from "./secrets";

describe("ensureSecretsFile", () => {
  const saved = { ...process.env };
  let folder: string;
  let file: string;
  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), "svj-secrets-"));
    file = path.join(folder, "secrets.json");
    delete process.env.AUTH_SECRET;
    delete process.env.SESSION_PASSWORDS;
    process.env.SECRETS_FILE = file;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it("creates the file with every secret, readable by its owner only", () => {
    ensureSecretsFile();
    const secrets = JSON.parse(readFileSync(file, "utf8"));
    expect(Object.keys(secrets).sort()).toEqual(["AUTH_SECRET", "INTROSPECTION_CLIENTS", "SESSION_PASSWORDS"]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("adds what an older file lacks without changing a secret, through a rename that leaves 0600 and no stray file", () => {
    writeFileSync(file, JSON.stringify({ AUTH_SECRET: "kept", SESSION_PASSWORDS: "1:kept" }));
    chmodSync(file, 0o644);
    ensureSecretsFile();
    const secrets = JSON.parse(readFileSync(file, "utf8"));
    expect(secrets).toMatchObject({ AUTH_SECRET: "kept", SESSION_PASSWORDS: "1:kept" });
    expect(secrets.INTROSPECTION_CLIENTS).toMatch(/^resource-server:[\w-]{43}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(folder)).toEqual(["secrets.json"]);
  });
});
