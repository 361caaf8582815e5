import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { expect, test } from "../fixtures";
import { port } from "../test-env";
import { startInstance, type Instance } from "@/scripts/instances";

// `npm run demo` prints the demo password and turns on switches any
// signed-in visitor may flip. Found by the third security review: it
// listened on every interface, so from another machine on the LAN anyone
// could sign every demo visitor out, turn revocation off or rotate keys.
// Now the demo (and dev, and the resource server) listen on 127.0.0.1
// unless HOST says otherwise, and the demo controls stay off on a
// non-loopback HOST unless DEMO_CONTROLS=on asks for them.

// The addresses listening on a TCP port, from the kernel's own tables.
function listeners(onPort: number): string[] {
  const found: string[] = [];
  for (const [file, ipv6] of [
    ["/proc/net/tcp", false],
    ["/proc/net/tcp6", true],
  ] as const) {
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== "0A" || !local) continue; // 0A: LISTEN
      const [hex, portHex] = local.split(":");
      if (parseInt(portHex!, 16) !== onPort) continue;
      if (!ipv6) {
        found.push(
          (hex!.match(/../g) ?? [])
            .reverse()
            .map((byte) => parseInt(byte, 16))
            .join("."),
        );
      } else {
        found.push(hex === "0".repeat(32) ? "::" : hex === `${"0".repeat(24)}01000000` ? "::1" : `ipv6 ${hex}`);
      }
    }
  }
  return found.sort();
}

async function startDemo(name: string, offset: number, env: Record<string, string>): Promise<Instance> {
  return startInstance({
    name,
    port: port + offset,
    command: ["node_modules/.bin/tsx", "--import", "./scripts/preflight.ts", "scripts/demo.ts"],
    env: {
      DATABASE_URL: `file:./data/test/${name}.db`,
      BCRYPT_COST: "4",
      // What the demo decides for itself (the test servers set them).
      HOST: "",
      DEMO_CONTROLS: "",
      PUBLIC_URL: "",
      RESOURCE_SERVER_URL: `http://localhost:${port + offset + 1}`,
      ...env,
    },
    logFile: `test-results/${name}.log`,
    readyWithinMs: 120_000,
  });
}

// Signs in as the demo user with a token, and tries to flip denylist mode.
async function flipDenylist(url: string): Promise<number> {
  const token = await fetch(`${url}/api/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "demo@example.com", password: "demo-password" }),
  });
  expect(token.status).toBe(200);
  const { access_token } = (await token.json()) as { access_token: string };
  const flip = (enabled: boolean) =>
    fetch(`${url}/api/auth/denylist`, {
      method: "PUT",
      headers: { authorization: `Bearer ${access_token}`, "content-type": "application/json" },
      body: JSON.stringify({ enabled }),
    });
  const status = (await flip(true)).status;
  if (status === 200) await flip(false);
  return status;
}

test.describe("where npm run demo listens", { tag: "@once" }, () => {
  test("on 127.0.0.1 only, the app and the resource server, with the demo controls on", async () => {
    test.setTimeout(150_000);
    // A folder of its own, which the demo makes.
    const folder = `data/test/demo-${randomUUID()}`;
    const demo = await startDemo("demo-loopback", 17, { DATABASE_URL: `file:./${folder}/app.db` });
    try {
      // Found by the same review: the database (accounts, password hashes)
      // was readable by every local user. Now its folder is 0700, its files 0600.
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      const files = readdirSync(folder);
      expect(files).toEqual(expect.arrayContaining(["app.db", "app.db-wal", "app.db-shm"]));
      for (const file of files) expect(statSync(`${folder}/${file}`).mode & 0o777, file).toBe(0o600);
      expect(listeners(demo.port)).toEqual(["127.0.0.1"]);
      // The resource server, on the next port.
      await expect.poll(() => listeners(demo.port + 1), { timeout: 30_000 }).toEqual(["127.0.0.1"]);
      expect(await flipDenylist(demo.url)).toBe(200);
    } finally {
      await demo.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test("HOST=0.0.0.0 listens everywhere, with the demo controls off unless DEMO_CONTROLS=on", async () => {
    test.setTimeout(150_000);
    const open = await startDemo("demo-open", 19, { HOST: "0.0.0.0" });
    try {
      expect(listeners(open.port)).toEqual(["0.0.0.0"]);
      expect(await flipDenylist(open.url)).toBe(403);
    } finally {
      await open.stop();
    }
    const asked = await startDemo("demo-open", 19, { HOST: "0.0.0.0", DEMO_CONTROLS: "on" });
    try {
      expect(await flipDenylist(asked.url)).toBe(200);
      const log = readFileSync("test-results/demo-open.log", "utf8");
      expect(log).toContain("Demo controls are on and this server listens on 0.0.0.0");
      expect(log).toContain("sign every visitor of it out");
    } finally {
      await asked.stop();
    }
  });
});
