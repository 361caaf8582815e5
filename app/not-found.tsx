import Link from "next/link";

// Next's built-in 404 page styles itself inline, which this app's
// Content-Security-Policy refuses; this one uses the stylesheet.
export default function NotFound() {
  return (
    <div className="max-w-xl space-y-3">
      <h1 className="text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Nothing lives at this address.</p>
      <p>
        <Link href="/" className="text-sm font-medium text-sky-700 underline underline-offset-4 dark:text-sky-400">
          Home
        </Link>
      </p>
    </div>
  );
}
