import { withSession } from "@/lib/auth/with-session";
import { inspectSessionCookie } from "@/lib/showcase/session-cookie-inspector";

// The session cookie as this request carried it, for the dashboard.
export const GET = withSession(
  async () => Response.json(await inspectSessionCookie(), { headers: { "Cache-Control": "no-store" } }),
  { changesState: false },
);
