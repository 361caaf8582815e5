import type { Metadata } from "next";
import { describeSession } from "@/lib/auth/session";
import { requireSession } from "@/lib/auth/current-session";
import { AccountEmail, AccountView } from "@/components/AccountView";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const { session, user, checkMs } = await requireSession("/account");
  return (
    <AccountView
      session={describeSession(session, session.id)}
      intro={
        <>
          Signed in as <AccountEmail email={user.email} /> with a server-side session. This page was rendered after one
          session check that took <span data-testid="auth-check-ms">{checkMs.toFixed(2)} ms</span>.
        </>
      }
    />
  );
}
