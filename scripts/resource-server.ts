// How the app's scripts and tests start resource-server/: given only what
// another service would be given, the issuer's URL and its own
// introspection credentials, from an empty environment, so none of the
// app's secrets can leak into it.
import type { Config } from "@/lib/config";
import { startInstance, type Instance } from "@/scripts/instances";
import { DEMO_RESOURCE_SERVER_ID } from "@/scripts/secrets";

export const RESOURCE_SERVER_COMMAND = ["node_modules/.bin/tsx", "resource-server/server.ts"];

export type ResourceServerSettings = {
  issuer: string;
  port: number;
  // Where it listens (its own default: 127.0.0.1).
  host?: string | null;
  // Its URL as clients call it, which DPoP proofs name (default http://localhost:<port>).
  publicUrl?: string | null;
  client?: { id: string; secret: string };
};

export function resourceServerEnv({ issuer, port, host, publicUrl, client }: ResourceServerSettings) {
  return {
    NODE_ENV: "production" as const,
    ISSUER: issuer,
    PORT: String(port),
    ...(host && { HOST: host }),
    ...(publicUrl && { PUBLIC_URL: publicUrl }),
    ALLOWED_ORIGIN: issuer,
    ...(client && { INTROSPECTION_CLIENT_ID: client.id, INTROSPECTION_CLIENT_SECRET: client.secret }),
  };
}

// This app's settings: its issuer and one of its introspection clients.
export function settingsFor(config: Config, port: number, clientId = DEMO_RESOURCE_SERVER_ID): ResourceServerSettings {
  const secret = config.secrets.introspectionClients[clientId];
  return {
    issuer: config.publicUrl,
    port,
    host: config.host,
    publicUrl: config.resourceServerUrl,
    client: secret ? { id: clientId, secret } : undefined,
  };
}

// Started and answering /health, for test beds and the bench.
export function startResourceServer(settings: ResourceServerSettings, logFile?: string): Promise<Instance> {
  return startInstance({
    name: "resource server",
    port: settings.port,
    command: RESOURCE_SERVER_COMMAND,
    env: resourceServerEnv(settings),
    cleanEnv: true,
    healthPath: "/health",
    logFile,
    readyWithinMs: 30_000,
  });
}
