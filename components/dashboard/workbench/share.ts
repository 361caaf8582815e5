// A workbench view in a link: the header and payload only, in the URL's
// fragment (never sent to a server, so never in a log), and never a
// signature, so a link can never carry a working token.
import { decodeJwt, decodePart, encodePart } from "../jwt-decode";

const PREFIX = "#workbench=";

export function shareFragment(token: string): string | null {
  const decoded = decodeJwt(token);
  return decoded ? `${PREFIX}${encodePart({ header: decoded.header, payload: decoded.payload })}` : null;
}

// The shared view as an unsigned token (an empty signature part).
export function tokenFromFragment(hash: string): string | null {
  if (!hash.startsWith(PREFIX)) return null;
  let shared: { header?: unknown; payload?: unknown };
  try {
    shared = decodePart(hash.slice(PREFIX.length));
  } catch {
    return null;
  }
  const isObject = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);
  if (!isObject(shared.header) || !isObject(shared.payload)) return null;
  return `${encodePart(shared.header)}.${encodePart(shared.payload)}.`;
}
