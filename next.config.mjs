/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  experimental: {
    // Our forms are under 2 KB; lib/server-actions.ts answers a larger one
    // with 413 before it gets here (MAX_ACTION_BODY_BYTES, the same 16 KiB).
    serverActions: { bodySizeLimit: "16kb" },
    // What proxy.ts may buffer of a request body: a form and then some.
    proxyClientMaxBodySize: "64kb",
  },
  reactStrictMode: true,
  // Pages and APIs are served with these on every response; nothing here
  // needs a third-party origin, so the policy can be strict.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
      // No page may be framed, but the hidden tab of the dashboard's
      // several-tabs experiment, by this origin only (SELF_FRAMED_PATH in
      // lib/self-framed.ts; frame-ancestors says the same).
      { source: "/:path((?!dashboard/hidden-tab$).*)", headers: [{ key: "X-Frame-Options", value: "DENY" }] },
      { source: "/dashboard/hidden-tab", headers: [{ key: "X-Frame-Options", value: "SAMEORIGIN" }] },
    ];
  },
};

export default nextConfig;
