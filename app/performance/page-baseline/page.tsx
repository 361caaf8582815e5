import type { Metadata } from "next";
import Link from "next/link";
import { AccountEmail, AccountView } from "@/components/AccountView";
import { SAMPLE_EMAIL, sampleSession } from "@/lib/showcase/page-baseline";

export const metadata: Metadata = { title: "Page baseline", robots: { index: false } };
// Rendered per request like /account, never prerendered: a static copy
// would not be the same work.
export const dynamic = "force-dynamic";

export default function PageBaselinePage() {
  return (
    <AccountView
      sample
      session={sampleSession()}
      intro={
        <>
          A sample, not an account: the account page for <AccountEmail email={SAMPLE_EMAIL} />, rendered with no
          credential and no session check, its forms inert. The benchmark measures it beside <code>/account</code>, so
          what <code>/account</code> costs beyond it is the session&apos;s, not React&apos;s (
          <Link href="/performance" className="underline underline-offset-4">
            Performance
          </Link>
          ).
        </>
      }
    />
  );
}
