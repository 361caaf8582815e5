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

// Next's own tests, exactly (case-sensitive): a multipart POST may be a form
// posted without JavaScript; anything else with Next-Action is decoded as text.
const isMultipart = (type: string) => type.startsWith("multipart/form-data");
const TEXT = /^\s*text\/plain\s*(;|$)/i;
const TOO_LARGE: AppError = {
  code: "payload_too_large",
  description: `Form submissions must be at most ${MAX_ACTION_BODY_BYTES} bytes.`,
};

// Next's check: the Origin's host must be the first X-Forwarded-Host, or
// the Host when that is absent or empty. No Origin at all passes (as in
// Next: not a browser, or a very old one).
function sameHost(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (origin === null) return true;
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

// Whether Next would treat this request as a server action at all.
export function mayBeServerAction(request: Request): boolean {
  return (
    request.method === "POST" &&
    (request.headers.has("next-action") || isMultipart(request.headers.get("content-type") ?? ""))
  );
}

// null: let Next handle it (not an action, or a well-formed one).
export async function checkServerActionRequest(request: Request): Promise<Response | null> {
  if (!mayBeServerAction(request)) return null;
  const type = request.headers.get("content-type") ?? "";
  // Next takes the header's presence, even empty, as a call.
  const isCall = request.headers.has("next-action");
  if (!sameHost(request.headers)) {
    return errorResponse({
      code: "cross_site_request",
      description: "Forms on this site may only be submitted from this site.",
    });
  }
  // Browsers always send a length with a form; without one, what Next reads
  // past the proxy's buffer is never checked here.
  const length = request.headers.get("content-length");
  if (length === null)
    return errorResponse({ code: "length_required", description: "Form submissions must state their Content-Length." });
  if (!(Number(length) <= MAX_ACTION_BODY_BYTES)) return errorResponse(TOO_LARGE);
  const multipart = isMultipart(type);
  if (!multipart && !TEXT.test(type)) {
    return errorResponse({
      code: "unsupported_media_type",
      description: "Server actions take multipart/form-data (or text/plain arguments).",
    });
  }
  const body = await request.arrayBuffer();
  if (body.byteLength > MAX_ACTION_BODY_BYTES) return errorResponse(TOO_LARGE);
  let problem: string | null;
  if (multipart) {
    let form: FormData;
    try {
      form = await new Response(body, { headers: { "content-type": type } }).formData();
    } catch {
      return errorResponse({ code: "invalid_request", description: "The form data could not be read." });
    }
    problem = isCall ? checkReply(form) : checkPlainFormPost(form);
  } else {
    // Arguments without form data (a form whose action takes none).
    const root = json(new TextDecoder("utf-8", { fatal: false }).decode(body));
    problem =
      root.ok && Array.isArray(root.value) && onlyReferences(root.value, PLAIN_VALUE)
        ? null
        : "The action's arguments are not a list of plain values.";
  }
  return problem ? errorResponse({ code: "invalid_request", description: problem }) : null;
}

// Strings React writes with a leading "$" are references; "$$…" is an
// escaped "$". Allowed: undefined, and the form data itself ("$K<n>").
const PLAIN_VALUE = /^\$(\$|undefined$)/;
const FORM_DATA_OR_PLAIN = /^\$(\$|undefined$|K\d+$)/;

// Iterative, and no deeper than any state of ours: a deeply nested
// argument list must be a 400, not a stack overflow.
const MAX_DEPTH = 16;

function onlyReferences(root: unknown, allowed: RegExp): boolean {
  const pending: [unknown, number][] = [[root, 0]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (typeof value === "string" && value.startsWith("$") && !allowed.test(value)) return false;
    if (typeof value !== "object" || value === null) continue;
    if (depth >= MAX_DEPTH) return false;
    for (const item of Array.isArray(value) ? value : Object.values(value)) pending.push([item, depth + 1]);
  }
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
  return onlyReferences(root.value, FORM_DATA_OR_PLAIN)
    ? null
    : "The action's arguments hold something other than form data.";
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
      if (typeof action?.id !== "string" || !/^[0-9a-f]+$/.test(action.id) || !bound)
        return "A form field that names the action is not valid.";
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
