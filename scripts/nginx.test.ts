import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { nginxBinary, nginxConfig, SHARED_RULES } from "@/scripts/nginx";
import { SetupError } from "@/scripts/setup-error";

describe("nginx in front of local instances", () => {
  it("without nginx installed, says in one line how to get it", () => {
    const empty = mkdtempSync(path.join(tmpdir(), "svj-no-nginx-"));
    expect(() => nginxBinary([empty])).toThrow(SetupError);
    expect(() => nginxBinary([empty])).toThrow(/apt-get install nginx/);
  });

  it("finds the binary in the first folder that has one", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "svj-nginx-"));
    writeFileSync(path.join(dir, "nginx"), "");
    expect(nginxBinary(["/nonexistent", dir])).toBe(path.join(dir, "nginx"));
  });

  it("includes the production rules as they are, with one upstream entry per instance", () => {
    const config = nginxConfig({ port: 3000, upstreamPorts: [3001, 3002], dir: "/tmp/svj-nginx" });
    expect(config).toContain(`include ${SHARED_RULES};`);
    expect(config).toContain("server 127.0.0.1:3001 max_fails=1 fail_timeout=2s;");
    expect(config).toContain("server 127.0.0.1:3002 max_fails=1 fail_timeout=2s;");
    expect(config).toContain("listen 3000;");
    expect(nginxConfig({ port: 3000, host: "127.0.0.1", upstreamPorts: [3001], dir: "/tmp/x" })).toContain(
      "listen 127.0.0.1:3000;",
    );
    expect(nginxConfig({ port: 3000, host: "::1", upstreamPorts: [3001], dir: "/tmp/x" })).toContain(
      "listen [::1]:3000;",
    );
    expect(config).toContain("upstream session_vs_jwt {");
  });
});
