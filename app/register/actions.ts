"use server";
import { headers } from "next/headers";
import { registerUser } from "@/lib/auth/accounts";
import { clientInfo } from "@/lib/http";
import { DATABASE_UNAVAILABLE } from "@/lib/errors";
import { whenUnavailable } from "@/lib/database-errors";

export type RegisterFormState =
  | { status: "idle" }
  | { status: "error"; message: string; fields: Record<string, string>; email: string }
  | { status: "registered"; email: string };

export async function registerAction(_previous: RegisterFormState, form: FormData): Promise<RegisterFormState> {
  // An action is an endpoint: its arguments are whatever the request carried.
  if (!(form instanceof FormData))
    return { status: "error", message: "Enter an email and a password.", fields: {}, email: "" };
  const email = form.get("email");
  const password = form.get("password");
  const client = clientInfo(await headers());
  const result = await whenUnavailable(() => registerUser({ email, password }, client), {
    ok: false,
    error: DATABASE_UNAVAILABLE,
  });
  if (result.ok) return { status: "registered", email: result.value.email };
  return {
    status: "error",
    message: result.error.description,
    fields: "fields" in result.error ? (result.error.fields ?? {}) : {},
    email: typeof email === "string" ? email : "",
  };
}
