// Unknown API paths answer a JSON 404 from a route handler. Without one,
// Next renders its not-found page for them, and that page also runs server
// actions (a Next-Action header on any unknown path does): keeping /api and
// /.well-known fully covered by route handlers keeps actions off them, so
// proxy.ts need not run for API traffic.
import { errorResponse } from "@/lib/errors";

export function unknownEndpoint(): Response {
  return errorResponse({ code: "not_found", description: "No such endpoint." });
}
