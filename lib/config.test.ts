import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  isLoopbackHost,
  loadConfig,
  parseDuration,
  parseIntrospectionClients,
  parseSessionPasswords,
  readDatabaseConfig,
} from "@/lib/config";

const SECRETS = {
  AUTH_SECRET: "x".repeat(32),
  SESSION_PASSWORDS: `1:${"y".repeat(32)}`,
};
const emptyDir = () => mkdtempSync(path.join(tmpdir(), "svj-config-"));

describe("loadConfig", () => {
  it("has safe defaults for everything but the secrets", () => {
    const config = loadConfig({ ...SECRETS }, "/srv/app");
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe("http://localhost:3000");
    // A deployment names its resource server, or the dashboard has none.
    expect(config.resourceServerUrl).toBeNull();
    expect(loadConfig({ ...SECRETS, RESOURCE_SERVER_URL: "https://api.example.com" }).resourceServerUrl).toBe(
      "https://api.example.com",
    );
    expect(config.jwt.issuer).toBe("http://localhost:3000");
    expect(loadConfig({ ...SECRETS, PORT: "4100" }).jwt.issuer).toBe("http://localhost:4100");
    expect(config.database).toEqual({
      provider: "sqlite",
      url: "file:./data/app.db",
      file: "/srv/app/data/app.db",
      timeoutMs: 5000,
    });
    expect(config.bcryptCost).toBe(12);
    expect(config.trustedProxies).toBe(0);
    expect(config.demoControls).toBe(false);
    expect(config.passwordWorkers).toBeUndefined();
    expect(loadConfig({ ...SECRETS, PASSWORD_WORKERS: "3" }).passwordWorkers).toBe(3);
    expect(config.benchResultsFile).toBe("/srv/app/bench/results/latest.json");
    expect(loadConfig({ ...SECRETS, DEMO_CONTROLS: "on" }).demoControls).toBe(true);
    expect(config.throttle.account).toEqual({
      freeFailures: 5,
      baseDelayMs: 1000,
      maxDelayMs: 900_000,
      forgetAfterMs: 3_600_000,
    });
    expect(config.throttle.ip.freeFailures).toBe(50);
    // Rates that refill: uses at once, then one more every interval.
    expect(config.throttle.signinNetwork).toEqual({ burst: 100, intervalMs: 1000 });
    expect(config.throttle.register).toEqual({ burst: 10, intervalMs: 300_000 });
    expect(config.throttle.registerNetwork).toEqual({ burst: 50, intervalMs: 30_000 });
    expect(config.throttle.throwawayCaller).toEqual({ burst: 5, intervalMs: 60_000 });
    expect(config.throttle.throwawayIp).toEqual({ burst: 20, intervalMs: 30_000 });
    expect(config.throttle.switchCaller).toEqual({ burst: 10, intervalMs: 6000 });
    expect(config.throttle.switchIp).toEqual({ burst: 30, intervalMs: 2000 });
    expect(config.scenarioRuns).toEqual({ perUser: 3, perAddress: 3 });
    expect(loadConfig({ ...SECRETS, THROTTLE_REGISTER_NETWORK_INTERVAL: "3s" }).throttle.registerNetwork).toEqual({
      burst: 50,
      intervalMs: 3000,
    });
    expect(config.secrets).toMatchObject({
      authSecret: SECRETS.AUTH_SECRET,
      sessionPasswords: { "1": "y".repeat(32) },
      source: "env",
    });
  });

  it.each([
    ["BCRYPT_COST", "abc", /^Invalid configuration: BCRYPT_COST must be a whole number from 4 to 15 \(got "abc"\)$/],
    ["BCRYPT_COST", "3", /BCRYPT_COST must be a whole number from 4 to 15/],
    ["BCRYPT_COST", "16", /BCRYPT_COST/],
    ["PASSWORD_WORKERS", "0", /PASSWORD_WORKERS must be a whole number from 1 to 64/],
    ["PORT", "70000", /PORT must be a whole number/],
    ["DEMO_CONTROLS", "maybe", /DEMO_CONTROLS must be true or false/],
    ["THROTTLE_MAX_DELAY", "soon", /THROTTLE_MAX_DELAY must be a duration/],
    ["THROTTLE_REGISTER_NETWORK_FREE", "0", /THROTTLE_REGISTER_NETWORK_FREE must be a whole number from 1/],
    ["THROTTLE_SIGNIN_NETWORK_INTERVAL", "often", /THROTTLE_SIGNIN_NETWORK_INTERVAL must be a duration/],
    ["SCENARIO_RUNS_PER_ADDRESS", "0", /SCENARIO_RUNS_PER_ADDRESS must be a whole number from 1/],
    ["HOST", "example.com", /HOST must be an IP address/],
    ["DATABASE_URL", "mysql://x", /DATABASE_URL must start with file:/],
    ["DATABASE_URL", "file:", /DATABASE_URL needs a path/],
    ["AUTH_SECRET", "short", /AUTH_SECRET must be set and at least 32 characters/],
    ["SESSION_PASSWORDS", "1:short", /SESSION_PASSWORDS password 1 must be at least 32 characters/],
  ])("names %s in a one-line error for %j", (name, value, message) => {
    expect(() => loadConfig({ ...SECRETS, [name]: value })).toThrow(message);
  });

  it("refuses to run without secrets and without the secrets file", () => {
    expect(() => loadConfig({}, emptyDir())).toThrow(/AUTH_SECRET is not set and .*secrets\.json does not exist/);
  });

  it("reads the generated secrets file when the environment has none", () => {
    const dir = emptyDir();
    writeFileSync(path.join(dir, "secrets.json"), JSON.stringify(SECRETS));
    const config = loadConfig({ SECRETS_FILE: "secrets.json" }, dir);
    expect(config.secrets.source).toBe("file");
    expect(config.secrets.authSecret).toBe(SECRETS.AUTH_SECRET);
  });

  it("reports an unreadable secrets file by name", () => {
    const dir = emptyDir();
    writeFileSync(path.join(dir, "secrets.json"), "{not json");
    expect(() => loadConfig({ SECRETS_FILE: "secrets.json" }, dir)).toThrow(/SECRETS_FILE .*cannot be read/);
  });

  // Found by the security review: the parser's message quoted the secret.
  it("never prints any part of a broken secrets file", () => {
    const dir = emptyDir();
    for (const broken of [
      '{"AUTH_SECRET": topsecret-value-0123456789abcdefgh}',
      '{"AUTH_SECRET": "topsecret-value-0123456789abcdefgh" x}',
      '["topsecret-value-0123456789abcdefgh"]',
    ]) {
      writeFileSync(path.join(dir, "secrets.json"), broken);
      let message = "";
      try {
        loadConfig({ SECRETS_FILE: "secrets.json" }, dir);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/SECRETS_FILE .*cannot be read: it is not/);
      expect(message).not.toMatch(/topsecret|0123/);
    }
  });
});

describe("PUBLIC_URL", () => {
  it("is the issuer: an https origin, or http on this machine", () => {
    const issuer = (PUBLIC_URL: string) => loadConfig({ ...SECRETS, PUBLIC_URL }).jwt.issuer;
    expect(issuer("https://auth.example.com/")).toBe("https://auth.example.com");
    expect(issuer("https://auth.example.com:8443")).toBe("https://auth.example.com:8443");
    expect(issuer("http://127.0.0.1:3000")).toBe("http://127.0.0.1:3000");
    expect(issuer("http://[::1]:3000")).toBe("http://[::1]:3000");
  });

  it("refuses plain http elsewhere, paths, queries and other schemes", () => {
    for (const bad of [
      "http://auth.example.com",
      "http://localhost.example.com",
      "https://auth.example.com/app",
      "https://auth.example.com/?x=1",
      "https://user:pw@auth.example.com",
      "ftp://auth.example.com",
      "auth.example.com",
    ]) {
      expect(() => loadConfig({ ...SECRETS, PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL/);
    }
  });
});

describe("HOST", () => {
  it("is an address to listen on; unset means every interface", () => {
    expect(loadConfig({ ...SECRETS }, "/srv/app").host).toBeNull();
    for (const host of ["127.0.0.1", "0.0.0.0", "::", "::1", "localhost", "192.0.2.10"])
      expect(loadConfig({ ...SECRETS, HOST: host }, "/srv/app").host).toBe(host);
    expect(loadConfig({ ...SECRETS, HOST: "[::1]" }, "/srv/app").host).toBe("::1");
    for (const host of ["example.com", "127.0.0.1:3000", "http://127.0.0.1"])
      expect(() => loadConfig({ ...SECRETS, HOST: host }, "/srv/app")).toThrow(/HOST must be an IP address/);
  });

  it("is loopback only for this machine's own addresses", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "localhost"]) expect(isLoopbackHost(host)).toBe(true);
    for (const host of [null, "0.0.0.0", "::", "192.0.2.10", "::ffff:127.0.0.1"])
      expect(isLoopbackHost(host)).toBe(false);
  });
});

describe("parsers", () => {
  it("parses introspection clients: ids and long secrets", () => {
    const secret = "s".repeat(32);
    expect(parseIntrospectionClients(undefined)).toEqual({});
    expect(parseIntrospectionClients(`resource-server:${secret}, billing.v2:${secret}x`)).toEqual({
      "resource-server": secret,
      "billing.v2": `${secret}x`,
    });
    for (const bad of [`:${secret}`, "resource-server:short", `Upper:${secret}`, "no-colon", `a b:${secret}`]) {
      expect(() => parseIntrospectionClients(bad), bad).toThrow(/INTROSPECTION_CLIENTS/);
    }
  });

  it("parses durations with units, bare numbers as seconds", () => {
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("90")).toBe(90_000);
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("8h")).toBe(28_800_000);
    expect(parseDuration("14d")).toBe(1_209_600_000);
    expect(parseDuration("-5s")).toBeUndefined();
    expect(parseDuration("1.5h")).toBeUndefined();
  });

  it("parses cookie passwords by id for rotation", () => {
    const a = "a".repeat(32);
    const b = "b".repeat(32);
    expect(parseSessionPasswords(a)).toEqual({ "1": a });
    expect(parseSessionPasswords(`2:${b}, 1:${a}`)).toEqual({ "1": a, "2": b });
    expect(() => parseSessionPasswords(`x:${a}`)).toThrow(/id is not a number/);
    expect(() => parseSessionPasswords(`1:${a},1:${b}`)).toThrow(/lists id 1 twice/);
  });

  it("chooses PostgreSQL from the URL scheme", () => {
    expect(readDatabaseConfig({ DATABASE_URL: "postgresql://u:p@db/app" })).toEqual({
      provider: "postgres",
      url: "postgresql://u:p@db/app",
      timeoutMs: 5000,
      poolSize: 10,
    });
    expect(readDatabaseConfig({ DATABASE_URL: "postgres://u@db/app" }).provider).toBe("postgres");
  });

  it("bounds how long a request waits for the database", () => {
    expect(readDatabaseConfig({ DATABASE_TIMEOUT: "2s" }).timeoutMs).toBe(2000);
    expect(readDatabaseConfig({ DATABASE_URL: "postgresql://db/app", DATABASE_POOL_SIZE: "25" })).toMatchObject({
      poolSize: 25,
    });
    expect(() => readDatabaseConfig({ DATABASE_TIMEOUT: "0" })).toThrow(/DATABASE_TIMEOUT/);
    expect(() => readDatabaseConfig({ DATABASE_URL: "postgresql://db/app", DATABASE_POOL_SIZE: "0" })).toThrow(
      /DATABASE_POOL_SIZE/,
    );
  });
});
