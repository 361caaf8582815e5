// Secrets kept in the database encrypted (AES-256-GCM), under a key derived
// from AUTH_SECRET by HKDF, one key per purpose, so a copy of the database
// alone opens nothing. The associated data names the row a ciphertext
// belongs to: one copied onto another row does not decrypt.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { config } from "@/lib/config";

export type EncryptionPurpose = { salt: string; info: string };

function keyFor({ salt, info }: EncryptionPurpose): Buffer {
  return Buffer.from(hkdfSync("sha256", config().secrets.authSecret, salt, info, 32));
}

export function encryptAtRest(plaintext: string, purpose: EncryptionPurpose, row: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(purpose), iv).setAAD(Buffer.from(row));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `v1.${iv.toString("base64url")}.${body.toString("base64url")}`;
}

// Null when it does not open: another AUTH_SECRET, another row, or altered.
export function decryptAtRest(sealed: string, purpose: EncryptionPurpose, row: string): string | null {
  const [version, iv, body] = sealed.split(".");
  if (version !== "v1" || !iv || !body) return null;
  const bytes = Buffer.from(body, "base64url");
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyFor(purpose), Buffer.from(iv, "base64url")).setAAD(
      Buffer.from(row),
    );
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
