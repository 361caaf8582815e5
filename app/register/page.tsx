import type { Metadata } from "next";
import { RegisterForm } from "@/components/RegisterForm";
import { DemoCredentials } from "@/components/DemoCredentials";
import { demoUserExists } from "@/lib/showcase/demo";

export const metadata: Metadata = { title: "Register" };
export const dynamic = "force-dynamic";

export default async function RegisterPage() {
  const showDemo = await demoUserExists();
  return (
    <div className="mx-auto grid max-w-3xl gap-8 md:grid-cols-[1fr_16rem]">
      <section className="space-y-6">
        <header className="space-y-2">
          <h1 className="text-2xl font-semibold tracking-tight">Create an account</h1>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            One account works for both mechanisms: sign in with a session cookie, get a JWT, or both.
          </p>
        </header>
        <RegisterForm />
      </section>
      {showDemo ? <DemoCredentials /> : null}
    </div>
  );
}
