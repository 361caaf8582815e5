import { labSignIn } from "@/lib/showcase/lab";
import { route } from "@/lib/http";

// Sign in with one strategy: its cookies, or an access token for a header strategy.
export const POST = route<{ params: Promise<{ strategy: string }> }>(async (request, { params }) =>
  labSignIn((await params).strategy, request),
);
