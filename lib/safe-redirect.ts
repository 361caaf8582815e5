// Where to send a person after sign-in: a path on this site, nothing else.
// Refuses absolute URLs, scheme-relative `//host`, backslashes (browsers read
// `/\host` as `//host`), control characters and anything that resolves to
// another origin after parsing.
const BASE = "http://same-origin.invalid";

export function safeNextPath(raw: unknown, fallback = "/account"): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2048) return fallback;
  if (!raw.startsWith("/") || raw.startsWith("//")) return fallback;
  if (/[\\\u0000-\u001f\u007f]/.test(raw)) return fallback;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith("//") ? fallback : path;
}
