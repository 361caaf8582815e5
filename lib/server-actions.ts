// Requests for server actions (form posts to a page), checked before Next
// handles them. Next refuses a cross-site Origin, a malformed body or a
// body over its limit by throwing, and React's reply decoder throws on a
// payload that references parts that are not there; a client sees either
// as a 500. These are the client's mistakes and get a 4xx here instead.
//
// Every action here is a <form action>, called with (form data), (previous
// state, form data) or nothing, so the payload is held to what React sends
// for exactly that: multipart with a JSON root whose only references are
// "$K<n>" (the form data, carried in "_<n>_name" parts) and "$undefined", or
// text/plain plain values; and, for a form posted without JavaScript,
// Next's $ACTION_ fields of the same shape.
import { errorResponse, type AppError } from "@/lib/errors";
import { MAX_JSON_BODY_BYTES } from "@/lib/http";

// Same limit as the JSON APIs; next.config.mjs sets Next's own to match.
export const MAX_ACTION_BODY_BYTES = MAX_JSON_BODY_BYTES;

// Next treats any multipart/form-data POST to a page as a possible action.
const MULTIPART = /^\s*multipart\/form-data/i;
const TEXT = /^\s*text\/plain\s*(;|$)/i;
const TOO_LARGE: AppError = { code: "payload_too_large", description: `Form submissions must be at most ${MAX_ACTION_BODY_BYTES} bytes.` };

function refuse(error: AppError): Response {
  return errorResponse(error);
}

// Next's own test: the Origin's host must be this site's host.
function sameHost(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (origin === null) return true;
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

// null: let Next handle it (not an action, or a well-formed one).
// null: let Next handle it (not an action, or a well-formed one).
export async function checkServerActionRequest(request: Request): Promise<Response | null> {
  const type = request.headers.get("content-type") ?? "";
  // Next takes the header's presence, even empty, as a call.
  const isCall = request.headers.has("next-action");
  if ((!isCall && !MULTIPART.test(type)) || request.method !== "POST") return null;
  if (!sameHost(request.headers)) {
    return refuse({ code: "cross_site_request", description: "Forms on this site may only be submitted from this site." });
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (!(declared <= MAX_ACTION_BODY_BYTES)) return refuse(TOO_LARGE);
  const multipart = MULTIPART.test(type);
  if (!multipart && !TEXT.test(type)) {
    return refuse({ code: "unsupported_media_type", description: "Server actions take multipart/form-data (or text/plain arguments)." });
  }
  const body = await request.arrayBuffer();
  if (body.byteLength > MAX_ACTION_BODY_BYTES) return refuse(TOO_LARGE);
  let problem: string | null;
  if (multipart) {
    let form: FormData;
    try {
      form = await new Response(body, { headers: { "content-type": type } }).formData();
    } catch {
      return refuse({ code: "invalid_request", description: "The form data could not be read." });
    }
    problem = isCall ? checkReply(form) : checkPlainFormPost(form);
  } else {
    // Arguments without form data (a form whose action takes none).
    const text = new TextDecoder("utf-8", { fatal: false }).decode(body);
    const root = json(text);
    problem = root.ok && Array.isArray(root.value) && onlyReferences(root.value, PLAIN_VALUE) ? null : "The action's arguments are not a list of plain values.";
  }
  return problem ? refuse({ code: "invalid_request", description: problem }) : null;
}

// Strings React writes with a leading "$" are references; "$$…" is an
// escaped "$". Allowed: undefined, and the form data itself ("$K<n>").
const PLAIN_VALUE = /^\$(\$|undefined$)/;
const FORM_DATA_OR_PLAIN = /^\$(\$|undefined$|K\d+$)/;

function onlyReferences(value: unknown, allowed: RegExp): boolean {
  if (typeof value === "string") return !value.startsWith("$") || allowed.test(value);
  if (Array.isArray(value)) return value.every((item) => onlyReferences(item, allowed));
  if (typeof value === "object" && value !== null) return Object.values(value).every((item) => onlyReferences(item, allowed));
  return true;
}

function json(text: FormDataEntryValue | null): { ok: true; value: unknown } | { ok: false } {
  if (typeof text !== "string") return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

// The JavaScript path: "0" is the argument list, "_<n>_…" the form fields.
function checkReply(form: FormData): string | null {
  for (const name of form.keys()) {
    if (name !== "0" && !/^_\d+_/.test(name)) return `Unexpected form part "${name.slice(0, 40)}".`;
  }
  const root = json(form.get("0"));
  if (!root.ok || !Array.isArray(root.value)) return "The action's arguments are missing or not a list.";
  return onlyReferences(root.value, FORM_DATA_OR_PLAIN) ? null : "The action's arguments hold something other than form data.";
}

// Without JavaScript, Next's hidden fields name the action: $ACTION_ID_<id>,
// or $ACTION_REF_<n> with "$ACTION_<n>:0" = {id, bound} and the bound
// arguments (the form's initial state) in "$ACTION_<n>:1".
function checkPlainFormPost(form: FormData): string | null {
  for (const name of form.keys()) {
    if (!name.startsWith("$ACTION_")) continue;
    if (/^\$ACTION_(ID_[0-9a-f]+|REF_\d+|KEY)$/.test(name)) continue;
    const part = /^\$ACTION_(\d+):(\d+)$/.exec(name);
    if (!part) return `Unexpected form field "${name.slice(0, 40)}".`;
    const value = json(form.get(name));
    if (!value.ok) return "A form field that names the action is not valid.";
    if (part[2] === "0") {
      const action = value.value as { id?: unknown; bound?: unknown } | null;
      const bound = action?.bound === null || (action?.bound === "$@1" && form.has(`$ACTION_${part[1]}:1`));
      if (typeof action?.id !== "string" || !/^[0-9a-f]+$/.test(action.id) || !bound) return "A form field that names the action is not valid.";
    } else if (part[2] !== "1" || !Array.isArray(value.value) || !onlyReferences(value.value, PLAIN_VALUE)) {
      return "A form field that names the action is not valid.";
    }
  }
  for (const name of form.keys()) {
    const ref = /^\$ACTION_REF_(\d+)$/.exec(name);
    if (ref && !form.has(`$ACTION_${ref[1]}:0`)) return "A form field that names the action is not valid.";
  }
  return null;
}
