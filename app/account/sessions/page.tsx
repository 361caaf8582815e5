import type { Metadata } from "next";
import { describeSession, listUserSessions } from "@/lib/auth/session";
import { requireSession } from "@/lib/auth/current-session";
import { revokeSessionAction, signOutEverywhereAction } from "@/app/account/actions";
import { describeDevice } from "@/lib/device";
import { refuseOnSharedDemoAccount, visibleSessions } from "@/lib/showcase/demo";
import { Button } from "@/components/Button";
import { Time } from "@/components/Time";

export const metadata: Metadata = { title: "My sessions" };

export default async function SessionsPage({ searchParams }: { searchParams: Promise<{ refused?: string }> }) {
  const { session, user } = await requireSession("/account/sessions");
  const visible = visibleSessions(user.email, await listUserSessions(user.id), session.id);
  const sessions = visible.sessions.map((s) => describeSession(s, session.id));
  const refusal = (await searchParams).refused === "shared-demo" ? refuseOnSharedDemoAccount(user.email) : null;
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div className="space-y-1">
          <h1 className="text-2xl font-semibold tracking-tight">My sessions</h1>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Every device signed in to <span className="font-medium text-zinc-900 dark:text-zinc-100">{user.email}</span>
            . Revoking one deletes its record: that device is signed out on its very next request.
          </p>
        </div>
        <form action={signOutEverywhereAction}>
          <Button type="submit" tone="secondary">
            Sign out everywhere
          </Button>
        </form>
      </header>
      {refusal ? (
        <p
          data-testid="sessions-refused"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
        >
          {refusal.description}
        </p>
      ) : null}
      {visible.hidden > 0 ? (
        <p data-testid="sessions-hidden" className="text-sm text-zinc-600 dark:text-zinc-400">
          This is the shared demo account: {visible.hidden} other visitor
          {visible.hidden === 1 ? "'s session is" : "s' sessions are"} not shown.
        </p>
      ) : null}
      <div className="relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table className="w-full min-w-3xl text-left text-sm">
          <caption className="sr-only">Active sessions</caption>
          <thead className="bg-zinc-100 text-xs uppercase tracking-wide text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
            <tr>
              {["Device", "Address", "Created", "Last seen", "Expires", ""].map((h, i) => (
                <th key={i} scope="col" className="px-4 py-3 font-medium">
                  {h || <span className="sr-only">Actions</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {sessions.map((s) => {
              const expires = s.idleExpiresAt < s.absoluteExpiresAt ? s.idleExpiresAt : s.absoluteExpiresAt;
              return (
                <tr key={s.id} data-testid="session-row" data-session-id={s.id} data-current={s.current || undefined}>
                  <td className="px-4 py-3">
                    <span title={s.userAgent ?? undefined}>{describeDevice(s.userAgent)}</span>
                    {s.current ? (
                      <span className="ml-2 rounded-full bg-session-100 px-2 py-0.5 text-xs font-medium text-session-700 dark:bg-session-950 dark:text-session-300">
                        this device
                      </span>
                    ) : null}
                  </td>
                  <td className="px-4 py-3 font-mono text-xs">{s.ip ?? "unknown"}</td>
                  <td className="px-4 py-3">
                    <Time value={s.createdAt} />
                  </td>
                  <td className="px-4 py-3">
                    <Time value={s.lastSeenAt} />
                  </td>
                  <td className="px-4 py-3">
                    <Time value={expires} />
                  </td>
                  <td className="px-4 py-3 text-right">
                    <form action={revokeSessionAction}>
                      <input type="hidden" name="session" value={s.id} />
                      <Button
                        type="submit"
                        tone="secondary"
                        className="px-3 py-1 text-xs"
                        aria-label={`Revoke session on ${describeDevice(s.userAgent)} created ${s.createdAt}`}
                      >
                        {s.current ? "Sign out" : "Revoke"}
                      </Button>
                    </form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
