// A workbench view in a link: the header and payload only, in the URL's
// fragment (never sent to a server, so never in a log), and never a
// signature, so a link can never carry a working token.
import { decodeJwt, decodePart, encodePart, isJsonObject } from "../jwt-decode";

const PREFIX = "#workbench=";

export function shareFragment(token: string): string | null {
  const decoded = decodeJwt(token);
  return decoded ? `${PREFIX}${encodePart({ header: decoded.header, payload: decoded.payload })}` : null;
}

// The shared view as an unsigned token (an empty signature part), or null
// for anything but {header, payload} with two JSON objects.
export function tokenFromFragment(hash: string): string | null {
  if (!hash.startsWith(PREFIX)) return null;
  const shared = decodePart(hash.slice(PREFIX.length));
  if (!shared || !isJsonObject(shared.header) || !isJsonObject(shared.payload)) return null;
  return `${encodePart(shared.header)}.${encodePart(shared.payload)}.`;
}
