// The result of `npm run bench`: its shape (written by bench/run.ts, read by
// the Performance page, the landing page and /docs) and the one reader.
// Pages show only what a run measured; with no result they say so.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { z } from "zod";
import { config } from "@/lib/config";

const rate = z.number().positive();
const duration = z.number().nonnegative();

const Route = z.object({
  name: z.string(),
  path: z.string(),
  requests_per_sec: rate,
  p50_ms: duration,
  p99_ms: duration,
  // Requests per second over a reference's, the median of the rounds:
  // /api/health (baseline), a handler with none of this app's plumbing
  // (bare), and for pages the same page without a credential.
  ratio_to_baseline: rate,
  ratio_to_bare: rate,
  ratio_to_page_baseline: rate.optional(),
  rounds_requests_per_sec: z.array(rate),
  requests: z.number().int(),
  non2xx: z.number().int(),
  errors: z.number().int(),
  // What the route cost the server that answered it: its CPU time per
  // request (null where /proc cannot be read), and the median auth check its
  // answers reported in Server-Timing (null for routes with no check).
  // Absent from results made before they were measured.
  server_cpu_us_per_request: z.number().nonnegative().nullable().optional(),
  auth_check_p50_us: z.number().nonnegative().nullable().optional(),
  // The lab's check routes: the store reads the server counted for one
  // request, and for a design that reads by design, its rate over the
  // lab's server session's.
  store_reads_per_request: z.number().int().nonnegative().optional(),
  ratio_to_server_session: rate.optional(),
  // The store's work under the route's load: the queries the app sent it
  // per 1,000 answered requests (counted at its database seam), and, for a
  // PostgreSQL on the bench's machine, that server's CPU time per request
  // (null on SQLite, which works in the app's own process).
  store_queries_per_1000_requests: z.number().nonnegative().nullable().optional(),
  store_cpu_us_per_request: z.number().nonnegative().nullable().optional(),
});

const Primitive = z.object({
  id: z.string(),
  name: z.string(),
  us_per_op: z.number().positive(),
  p50_us: duration,
  p99_us: duration,
  samples: z.number().int(),
});

export const ROUTE_NAMES = [
  "bare",
  "baseline",
  "page-baseline",
  "jwt",
  "jwt-denylist",
  "session-json",
  "session-page",
] as const;

const Target = z.object({ name: z.string(), goal: z.string(), value: z.number(), met: z.boolean() });

export const BenchResult = z.object({
  at: z.iso.datetime(),
  machine: z.object({
    cpus: z.number().int(),
    cpu_model: z.string(),
    node: z.string(),
    platform: z.string(),
    memory_gb: z.number(),
  }),
  settings: z.object({
    database: z.enum(["sqlite", "postgres"]),
    duration_s: z.number(),
    rounds: z.number().int(),
    warmup_s: z.number(),
    connections: z.number().int(),
    bcrypt_cost: z.number().int(),
    users: z.number().int(),
  }),
  routes: z
    .array(Route)
    .refine(
      (routes) => ROUTE_NAMES.every((name) => routes.some((route) => route.name === name)),
      `routes must include ${ROUTE_NAMES.join(", ")}`,
    ),
  // Request header bytes each credential adds (name, colon, space, value).
  credentials: z.object({ session_cookie_bytes: z.number().int(), bearer_header_bytes: z.number().int() }),
  primitives: z.array(Primitive),
  storm: z.object({
    idle_p99_ms: z.number().positive(),
    storm_p99_ms: duration,
    signins: z.number().int().positive(),
    signin_p50_ms: duration,
    signin_failures: z.number().int(),
    p99_ratio: duration,
  }),
  // Sign-ins back to back, alone and during a flood of registrations (each a
  // bcrypt hash): the bounded, sign-ins-first password queue keeps the second
  // close to the first, and refuses what does not fit (503) instead of
  // queueing it. Absent from results made before it existed.
  registration_flood: z
    .object({
      flood_clients: z.number().int().positive(),
      alone_signins: z.number().int().positive(),
      alone_signin_p50_ms: duration,
      alone_signin_p99_ms: duration,
      flood_signins: z.number().int().positive(),
      flood_signin_p50_ms: duration,
      flood_signin_p99_ms: duration,
      registrations_accepted: z.number().int(),
      registrations_refused_busy: z.number().int(),
    })
    .optional(),
  targets: z.array(Target),
});

export type BenchResult = z.infer<typeof BenchResult>;
export type RouteResult = z.infer<typeof Route>;

// `file` is relative to the app's folder: pages show it to anyone.
export type BenchRead =
  | { status: "ok"; result: BenchResult; file: string }
  | { status: "missing"; file: string }
  | { status: "invalid"; file: string; message: string };

export type Database = BenchResult["settings"]["database"];

// One result per database: `file` for SQLite, and beside it the same name
// with -postgres for PostgreSQL (bench/results/latest-postgres.json).
export function benchResultsFile(database: Database, file = config().benchResultsFile): string {
  return database === "sqlite" ? file : file.replace(/(\.json)?$/, "-postgres.json");
}

// The result of one database, read on every render: a new `npm run bench`
// shows up without a rebuild. A file holding another database's run is
// refused, so no number is ever shown under the wrong database's name.
export function readBenchResults(database: Database = "sqlite", path = benchResultsFile(database)): BenchRead {
  const file = relative(/*turbopackIgnore: true*/ process.cwd(), path);
  let text: string;
  try {
    text = readFileSync(/*turbopackIgnore: true*/ path, "utf8");
  } catch {
    return { status: "missing", file };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { status: "invalid", file, message: "not valid JSON" };
  }
  const parsed = BenchResult.safeParse(json);
  if (!parsed.success)
    return { status: "invalid", file, message: z.prettifyError(parsed.error).split("\n")[0] ?? "unexpected shape" };
  if (parsed.data.settings.database !== database)
    return { status: "invalid", file, message: `it holds a run on ${parsed.data.settings.database}, not ${database}` };
  return { status: "ok", result: parsed.data, file };
}

// Every named route is there: the schema requires it.
// Routes served by resource-server/, another program, drawn apart.
export function isOtherServiceRoute(name: string): boolean {
  return name.startsWith("resource-server");
}

export function routeByName(result: BenchResult, name: (typeof ROUTE_NAMES)[number]): RouteResult {
  return result.routes.find((route) => route.name === name)!;
}

export function primitiveById(result: BenchResult, id: string): z.infer<typeof Primitive> | undefined {
  return result.primitives.find((primitive) => primitive.id === id);
}
