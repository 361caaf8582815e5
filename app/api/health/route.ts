import { route } from "@/lib/http";

// Liveness for load balancers, and the benchmark's baseline: the same route
// plumbing and a JSON answer of about /api/me's size, with no credential.
export const GET = route(async () =>
  Response.json(
    { status: "ok", time: new Date().toISOString(), uptime_s: Math.round(process.uptime()), pid: process.pid },
    { headers: { "Cache-Control": "no-store" } },
  ),
);
