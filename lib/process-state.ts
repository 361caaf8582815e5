// State that must exist once per server process. Next bundles
// instrumentation, proxy.ts and the routes separately, each with its own
// copy of a module's top-level variables, so what start-up loads (signing
// keys, the denylist switch) would otherwise not be what requests see.
// Also survives dev-mode module reloads.
export function processState<T extends object>(name: string, init: () => T): T {
  const store = globalThis as typeof globalThis & Record<symbol, T | undefined>;
  const key = Symbol.for(`session-vs-jwt:${name}`);
  return (store[key] ??= init());
}
