import { permanentRedirect } from "next/navigation";

// The page's old address: it lists every device now, not only sessions.
export default function SessionsPage(): never {
  permanentRedirect("/account/devices");
}
