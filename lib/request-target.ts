// The request line's target, in the forms HTTP/1.1 allows (RFC 9112 §3.2),
// turned into the one Next expects: origin-form ("/path?query"). Next
// answered the others with a 500 (asterisk-form: `OPTIONS *`, `GET *`) or
// a redirect to itself (absolute-form, which a server must accept:
// RFC 9112 §3.2.2); server.ts answers or rewrites them first.
export type RequestTarget =
  | { form: "origin" }
  // Rewritten to origin-form; its authority replaces Host (RFC 9112 §3.2.2).
  | { form: "absolute"; path: string; host: string }
  // Only OPTIONS may ask about the server as a whole (RFC 9110 §9.3.7).
  | { form: "asterisk" }
  | { form: "invalid" };

export function readRequestTarget(target: string): RequestTarget {
  if (target.startsWith("/")) return { form: "origin" };
  if (target === "*") return { form: "asterisk" };
  if (/^https?:\/\//i.test(target)) {
    try {
      const url = new URL(target);
      if (url.username || url.password) return { form: "invalid" };
      return { form: "absolute", path: `${url.pathname}${url.search}`, host: url.host };
    } catch {
      return { form: "invalid" };
    }
  }
  return { form: "invalid" };
}
