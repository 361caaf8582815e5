// How the app's scripts and tests start resource-server/: given only what
// another service would be given, the issuer's URL and its own
// introspection credentials. The caller starts it from an empty environment,
// so none of the app's secrets can leak into it.
import type { Config } from "@/lib/config";
import { DEMO_RESOURCE_SERVER_ID } from "@/scripts/secrets";

export const RESOURCE_SERVER_COMMAND = ["node_modules/.bin/tsx", "resource-server/server.ts"];

export function resourceServerEnv(config: Config, port: number, clientId = DEMO_RESOURCE_SERVER_ID) {
  const secret = config.secrets.introspectionClients[clientId];
  return {
    NODE_ENV: "production" as const,
    ISSUER: config.publicUrl,
    PORT: String(port),
    ALLOWED_ORIGIN: config.publicUrl,
    ...(secret && { INTROSPECTION_CLIENT_ID: clientId, INTROSPECTION_CLIENT_SECRET: secret }),
  };
}
