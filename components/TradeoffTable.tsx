// The trade-offs as the design predicts them. Later, measured figures from
// `npm run bench` replace the adjectives row by row.
const ROWS: { aspect: string; session: string; jwt: string }[] = [
  {
    aspect: "What the client holds",
    session: "An opaque random id, sealed in an HttpOnly cookie",
    jwt: "A signed token that carries the claims themselves",
  },
  {
    aspect: "What the server stores",
    session: "One row per signed-in device",
    jwt: "Signing keys only; refresh-token families for renewal",
  },
  {
    aspect: "Per-request check",
    session: "Unseal the cookie and look the row up in the database",
    jwt: "Verify a signature; no lookup (unless denylist mode is on)",
  },
  {
    aspect: "Revocation",
    session: "Immediate: delete the row",
    jwt: "Waits for the token to expire, or costs a denylist lookup",
  },
  {
    aspect: "Sent with every request",
    session: "A cookie of a few hundred bytes, automatically",
    jwt: "A larger Authorization header, added by page script",
  },
  {
    aspect: "Main browser risk",
    session: "Cross-site request forgery (SameSite and Origin checks defend)",
    jwt: "Token theft by injected script if stored where script reads it",
  },
  {
    aspect: "Several servers",
    session: "All of them reach the same session store",
    jwt: "All of them need only the public keys",
  },
];

export function TradeoffTable() {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
      <table className="w-full min-w-xl text-left text-sm">
        <caption className="sr-only">Session versus JWT trade-offs</caption>
        <thead className="bg-zinc-100 text-xs uppercase tracking-wide text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-4 py-3 font-medium">
              Aspect
            </th>
            <th scope="col" className="px-4 py-3 font-medium text-session-700 dark:text-session-300">
              Session
            </th>
            <th scope="col" className="px-4 py-3 font-medium text-jwt-700 dark:text-jwt-300">
              JWT
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {ROWS.map((row) => (
            <tr key={row.aspect} className="align-top">
              <th scope="row" className="px-4 py-3 font-medium">
                {row.aspect}
              </th>
              <td className="px-4 py-3 text-zinc-700 dark:text-zinc-300">{row.session}</td>
              <td className="px-4 py-3 text-zinc-700 dark:text-zinc-300">{row.jwt}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
