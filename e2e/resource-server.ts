// resource-server/ beside the main test server (scripts/serve-test.ts
// starts it as `npm run demo` does): an empty environment plus the issuer's
// URL and its own introspection credentials. It finds the keys by discovery
// once the app answers, so a spec waits for it before its first call.
import { RESOURCE_SERVER_URL } from "./test-env";

export async function resourceServer(): Promise<{ url: string }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${RESOURCE_SERVER_URL}/health`)).ok) return { url: RESOURCE_SERVER_URL };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the resource server did not answer at ${RESOURCE_SERVER_URL}`);
    // A poll, until it answers.
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
