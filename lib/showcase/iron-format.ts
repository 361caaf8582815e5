// Takes an iron-session cookie value apart, field by field, so the dashboard
// can show what each part of the sealed value is for. Parsing only: nothing
// here decrypts or verifies (that is unsealSessionCookie's job).
import type { Failure, Result } from "@/lib/errors";

export type SealField = { name: string; value: string; purpose: string };

// What the dashboard may show of a field: the sealed value is a bearer
// credential, so random fields (salts, IV, ciphertext, HMAC) appear only as
// their length and first characters, never whole: nothing shown can be put
// back together into a cookie the server would accept.
export type SealFieldView = { name: string; shown: string; length: number; purpose: string };
export type SealAnatomy = Result<{ fields: SealFieldView[]; expiresAt: Date | null; bytes: number }, NotASeal>;

const SHOWN_WHOLE = new Set(["format", "password id", "expiration", "iron-session version"]);
const PREFIX_LENGTH = 6;

export type NotASeal = Failure<"not_a_seal">;
export type ParsedSeal = Result<{ fields: SealField[]; expiresAt: Date | null; bytes: number }, NotASeal>;

// iron's format: Fe26.2*<password id>*<encryption salt>*<iv>*<ciphertext>*
// <expiration>*<hmac salt>*<hmac>, and iron-session appends ~<format version>.
export function parseSeal(value: string): ParsedSeal {
  const [seal = "", version] = value.split("~");
  const parts = seal.split("*");
  if (parts.length !== 8 || parts[0] !== "Fe26.2")
    return { ok: false, error: { code: "not_a_seal", description: "Not an iron seal (Fe26.2 with 8 fields)." } };
  const [prefix, passwordId, encryptionSalt, iv, ciphertext, expiration, hmacSalt, hmac] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const expires = expiration === "" ? null : new Date(Number(expiration));
  const fields: SealField[] = [
    { name: "format", value: prefix, purpose: "iron's format and version: tells the server how to read the rest." },
    {
      name: "password id",
      value: passwordId,
      purpose: "Which of the server's cookie passwords sealed it, so passwords can rotate.",
    },
    {
      name: "encryption salt",
      value: encryptionSalt,
      purpose: "Random salt; with the password it derives this cookie's AES-256 key (PBKDF2).",
    },
    {
      name: "IV",
      value: iv,
      purpose: "Random initialisation vector for AES-256-CBC, so equal contents seal differently.",
    },
    {
      name: "ciphertext",
      value: ciphertext,
      purpose: "The encrypted content: the session token. Unreadable without the password.",
    },
    {
      name: "expiration",
      value: expiration,
      purpose: "When the seal itself stops being accepted (milliseconds since 1970).",
    },
    {
      name: "HMAC salt",
      value: hmacSalt,
      purpose: "Random salt for the integrity key, separate from the encryption key.",
    },
    {
      name: "HMAC",
      value: hmac,
      purpose: "SHA-256 HMAC over everything before it: any change to any field is detected.",
    },
  ];
  if (version !== undefined)
    fields.push({ name: "iron-session version", value: version, purpose: "iron-session's own cookie format version." });
  return {
    ok: true,
    value: {
      fields,
      expiresAt: expires && !Number.isNaN(expires.getTime()) ? expires : null,
      bytes: new TextEncoder().encode(value).length,
    },
  };
}

export function describeSeal(value: string): SealAnatomy {
  const parsed = parseSeal(value);
  if (!parsed.ok) return parsed;
  const fields = parsed.value.fields.map(({ name, value: field, purpose }) => ({
    name,
    shown: SHOWN_WHOLE.has(name) || field.length <= PREFIX_LENGTH ? field : `${field.slice(0, PREFIX_LENGTH)}…`,
    length: field.length,
    purpose,
  }));
  return { ok: true, value: { fields, expiresAt: parsed.value.expiresAt, bytes: parsed.value.bytes } };
}
