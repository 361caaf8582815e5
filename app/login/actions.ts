"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { startSession } from "@/lib/auth/current-session";
import { verifyCredentials } from "@/lib/auth/signin";
import { DATABASE_UNAVAILABLE } from "@/lib/errors";
import { whenUnavailable } from "@/lib/database-errors";
import { clientInfo } from "@/lib/http";
import { safeNextPath } from "@/lib/safe-redirect";

export type SignInFormState =
  { status: "idle" } | { status: "error"; message: string; email: string; retryAfterSeconds?: number };

// Next checks a server action's Origin against its Host, so this form cannot
// be submitted from another site.
export async function signInAction(_previous: SignInFormState, form: FormData): Promise<SignInFormState> {
  // An action is an endpoint: its arguments are whatever the request carried.
  if (!(form instanceof FormData)) return { status: "error", message: "Enter your email and password.", email: "" };
  const email = form.get("email");
  const client = clientInfo(await headers());
  const result = await whenUnavailable(
    async () => {
      const verified = await verifyCredentials({ email, password: form.get("password") }, client, "session");
      return verified.ok ? startSession(verified.value) : verified;
    },
    { ok: false, error: DATABASE_UNAVAILABLE },
  );
  if (!result.ok) {
    return {
      status: "error",
      message: result.error.code === "invalid_request" ? "Enter your email and password." : result.error.description,
      email: typeof email === "string" ? email : "",
      retryAfterSeconds: result.error.code === "throttled" ? result.error.retryAfterSeconds : undefined,
    };
  }
  redirect(safeNextPath(form.get("next")));
}
