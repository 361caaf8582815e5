// server.ts marks its process so that lib/startup.ts can refuse to serve
// under `next start`, where any client could choose its own address.
export const SERVER_ENTRY_MARK = { name: "SVJ_SERVER_ENTRY", value: "server.ts" } as const;

export function startedByServerEntry(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[SERVER_ENTRY_MARK.name] === SERVER_ENTRY_MARK.value;
}
