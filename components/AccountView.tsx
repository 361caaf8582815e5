import Link from "next/link";
import type { SessionView } from "@/lib/auth/session";
import { signOutAction } from "@/app/account/actions";
import { SessionDetails } from "@/components/SessionDetails";
import { ChangePasswordForm } from "@/components/ChangePasswordForm";
import { Button } from "@/components/Button";
import { Card } from "@/components/Card";

export function AccountEmail({ email }: { email: string }) {
  return (
    <span data-testid="account-email" className="font-medium text-zinc-900 dark:text-zinc-100">
      {email}
    </span>
  );
}

// The account page's body. /account renders it for the signed-in user;
// /performance/page-baseline renders it from a sample with no credential
// (`sample`: the same forms, inert, so they cannot touch the visitor's real
// account), so the benchmark can tell the session's cost on a page from React's.
export function AccountView({
  session,
  intro,
  sample = false,
}: {
  session: SessionView;
  intro: React.ReactNode;
  sample?: boolean;
}) {
  return (
    <div className="max-w-3xl space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div className="space-y-1">
          <h1 className="text-2xl font-semibold tracking-tight">Account</h1>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{intro}</p>
        </div>
        <form action={sample ? undefined : signOutAction}>
          <Button type="submit" tone="secondary" disabled={sample}>
            Sign out
          </Button>
        </form>
      </header>
      <Card
        title="This session"
        actions={
          <Link
            href="/account/devices"
            className="text-sm font-medium text-sky-700 underline underline-offset-4 dark:text-sky-400"
          >
            All my devices
          </Link>
        }
      >
        <SessionDetails session={session} />
      </Card>
      <Card title="Change password">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Changing your password signs out every other device and gives this one a new session id.
        </p>
        <ChangePasswordForm inert={sample} />
      </Card>
    </div>
  );
}
