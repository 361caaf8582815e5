import { healthResponse } from "@/lib/health";
import { route } from "@/lib/http";

// Liveness for load balancers, and the benchmark's baseline: the same route
// plumbing (route()) as every protected route, with no credential.
export const GET = route(async () => healthResponse());
