import type { SessionView } from "@/lib/auth/session";
import { describeDevice } from "@/lib/device";
import { Time } from "@/components/Time";

export function SessionDetails({ session }: { session: SessionView }) {
  const rows: [string, React.ReactNode][] = [
    ["Record id (public handle)", <code key="id">{session.id}</code>],
    ["Token hash (prefix)", <code key="h">{session.tokenHashPrefix}…</code>],
    ["Created", <Time key="c" value={session.createdAt} />],
    ["Last seen", <Time key="l" value={session.lastSeenAt} />],
    ["Idle expiry", <Time key="i" value={session.idleExpiresAt} />],
    ["Absolute expiry", <Time key="a" value={session.absoluteExpiresAt} />],
    ["Address", session.ip ?? "unknown"],
    ["Device", <span key="d" title={session.userAgent ?? undefined}>{describeDevice(session.userAgent)}</span>],
  ];
  return (
    <dl data-testid="session-details" className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
          <dd className="break-all">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
