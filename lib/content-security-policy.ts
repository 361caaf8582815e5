// A strict Content-Security-Policy for every page (OWASP CSP Cheat Sheet,
// "strict policy"): scripts only with this response's nonce (Next puts it on
// its own scripts when it finds it in the request's policy), and scripts
// those load ('strict-dynamic'); everything else from this origin only; no
// plugins, no <base> tricks, no framing (but one page, by this origin
// only), forms only to this origin; fetches to this origin and the
// resource server the dashboard calls. So an
// injected <script> or inline handler does not run, even if markup gets in.
// Development (`npm run dev`) also needs eval (React's debugging, hot
// reload) and inline styles (hot-reloaded CSS); production never does.
export function contentSecurityPolicy(
  nonce: string,
  connectTo: string[] = [],
  { development = process.env.NODE_ENV === "development", framedBySelf = false } = {},
): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self'${development ? " 'unsafe-inline'" : ""}`,
    "img-src 'self' data:",
    "font-src 'self'",
    ["connect-src 'self'", ...connectTo].join(" "),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${framedBySelf ? "'self'" : "'none'"}`,
  ].join("; ");
}

// For the small static error pages (no script at all, one inline style).
export const ERROR_PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
}
