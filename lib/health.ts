// The answer of GET /api/health, also served by GET /api/health/bare: the
// benchmark's two references. About the size of /api/me's answer.
export function healthResponse(): Response {
  return Response.json(
    { status: "ok", time: new Date().toISOString(), uptime_s: Math.round(process.uptime()), pid: process.pid },
    { headers: { "Cache-Control": "no-store" } },
  );
}
