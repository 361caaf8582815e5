import { healthResponse } from "@/lib/health";

// The same answer as /api/health with none of this app's plumbing: the
// benchmark's floor, so what route() and the auth wrappers cost shows.
export function GET(): Response {
  return healthResponse();
}
