// nginx in front of local app instances (npm run cluster, the
// multi-instance tests), with the rules a production site uses
// (deploy/nginx/session-vs-jwt.conf, included as it is). Only what differs
// locally is written here: the upstream's addresses, the port, and files
// under one folder instead of /etc and /var.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SetupError } from "@/scripts/setup-error";

export const SHARED_RULES = path.resolve("deploy/nginx/session-vs-jwt.conf");

export type Balancer = { name: "nginx"; url: string; port: number; stop(): Promise<void> };

export type BalancerOptions = {
  port: number;
  // The address to listen on (HOST); every interface when unset.
  host?: string;
  upstreamPorts: number[];
  // Config, pid and logs (access.log names the instance that answered).
  dir: string;
  // How long nginx leaves an instance alone after a failed connection.
  failTimeout?: string;
};

const SEARCH_PATH = [
  ...(process.env.PATH ?? "").split(path.delimiter),
  "/usr/sbin",
  "/usr/local/sbin",
  "/opt/homebrew/bin",
];

export function nginxBinary(searchPath = SEARCH_PATH): string {
  const found = searchPath.map((dir) => path.join(dir, "nginx")).find((candidate) => existsSync(candidate));
  if (!found) {
    throw new SetupError(
      "nginx is not installed: `apt-get install nginx` (Debian, Ubuntu) or `brew install nginx` (macOS). Only its binary is used; no site is enabled.",
    );
  }
  return found;
}

function listenAddress({ host, port }: BalancerOptions): string {
  if (!host) return String(port);
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

export function nginxConfig(options: BalancerOptions): string {
  const dir = path.resolve(options.dir);
  const servers = options.upstreamPorts.map(
    (port) => `        server 127.0.0.1:${port} max_fails=1 fail_timeout=${options.failTimeout ?? "2s"};`,
  );
  return `# Written by scripts/nginx.ts; the rules are ${path.relative(process.cwd(), SHARED_RULES)}.
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
    log_format upstream '$remote_addr "$request" $status -> $upstream_addr $upstream_status';
    access_log ${dir}/access.log upstream;
    # Run as root, nginx's workers are an unprivileged user that may not
    # reach this folder (a private temporary one in CI): keep request bodies
    # (at most 64k, see the rules) and responses in memory, never on disk.
    client_body_buffer_size 64k;
    proxy_max_temp_file_size 0;
    client_body_temp_path ${dir}/temp/body;
    proxy_temp_path ${dir}/temp/proxy;
    fastcgi_temp_path ${dir}/temp/fastcgi;
    uwsgi_temp_path ${dir}/temp/uwsgi;
    scgi_temp_path ${dir}/temp/scgi;
    upstream session_vs_jwt {
${servers.join("\n")}
        keepalive 32;
    }
    server {
        listen ${listenAddress(options)};
        # Which instance answered (the last one tried, when one failed first).
        add_header X-Served-By $upstream_addr always;
        include ${SHARED_RULES};
    }
}
`;
}

export async function startBalancer(options: BalancerOptions): Promise<Balancer> {
  const binary = nginxBinary();
  const dir = path.resolve(options.dir);
  mkdirSync(path.join(dir, "temp"), { recursive: true });
  const configFile = path.join(dir, "nginx.conf");
  writeFileSync(configFile, nginxConfig(options));
  // -e: the error log before the config is read (the default is under /var/log).
  const child = spawn(binary, ["-p", dir, "-c", configFile, "-e", path.join(dir, "error.log")], {
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${options.port}`;
  const balancer: Balancer = {
    name: "nginx",
    url,
    port: options.port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      process.kill(-child.pid, "SIGTERM");
      await exited;
    },
  };
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`nginx exited with code ${child.exitCode} (see ${path.join(dir, "error.log")})`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return balancer;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await balancer.stop();
  throw new Error(
    `nginx did not pass /api/health through on port ${options.port} (see ${path.join(dir, "error.log")})`,
  );
}
