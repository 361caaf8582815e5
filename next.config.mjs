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
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
