import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { Nav, type NavItem } from "@/components/Nav";
import { Button } from "@/components/Button";
import { getCurrentSession } from "@/lib/auth/current-session";
import { signOutAction } from "@/app/account/actions";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "session vs jwt", template: "%s · session vs jwt" },
  description: "Session and JWT authentication, both done properly, side by side, measured.",
  icons: { icon: "/favicon.svg" },
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#fafafa" },
    { media: "(prefers-color-scheme: dark)", color: "#09090b" },
  ],
};

const NAV: NavItem[] = [
  { href: "/dashboard", label: "Dashboard" },
  { href: "/lab", label: "Lab" },
  { href: "/account", label: "Account" },
  { href: "/performance", label: "Performance" },
  { href: "/docs", label: "Docs" },
];

async function SessionStatus() {
  const current = await getCurrentSession();
  if (current.status === "unavailable") {
    return (
      <span data-testid="session-unavailable" className="text-sm text-amber-700 dark:text-amber-300">
        Session store unavailable
      </span>
    );
  }
  if (current.status !== "valid") {
    return (
      <Nav
        items={[
          { href: "/login", label: "Sign in" },
          { href: "/register", label: "Register" },
        ]}
      />
    );
  }
  return (
    <div className="flex items-center gap-2 text-sm">
      <span data-testid="signed-in-as" className="hidden max-w-48 truncate text-zinc-600 sm:inline dark:text-zinc-400">
        {current.user.email}
      </span>
      <form action={signOutAction}>
        <Button type="submit" tone="secondary" className="px-3 py-1.5">
          Sign out
        </Button>
      </form>
    </div>
  );
}

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-zinc-900"
        >
          Skip to content
        </a>
        <header className="border-b border-zinc-200 bg-white/80 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/80">
          <nav
            aria-label="Main"
            className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-2"
          >
            <Link href="/" className="flex items-center gap-2 rounded-md px-1 py-1 font-semibold tracking-tight">
              <span aria-hidden className="flex">
                <span className="size-3 rounded-full bg-session-500" />
                <span className="-ml-1 size-3 rounded-full bg-jwt-500" />
              </span>
              session <span className="font-normal text-zinc-500 dark:text-zinc-400">vs</span> jwt
            </Link>
            <div className="flex flex-wrap items-center gap-2">
              <Nav items={NAV} />
              <SessionStatus />
            </div>
          </nav>
        </header>
        <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-8">
          {children}
        </main>
        <footer className="border-t border-zinc-200 py-6 text-center text-xs text-zinc-500 dark:text-zinc-400 dark:border-zinc-800">
          Both mechanisms run on this server, against the same users. Every number on these pages is measured, not typed
          in.
        </footer>
      </body>
    </html>
  );
}
