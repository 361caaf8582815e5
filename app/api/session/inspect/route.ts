import { inspectSessionCookie, withSession } from "@/lib/auth/session-cookie";

// The session cookie as this request carried it, for the dashboard.
export const GET = withSession(
  async () => Response.json(await inspectSessionCookie(), { headers: { "Cache-Control": "no-store" } }),
  { changesState: false },
);
