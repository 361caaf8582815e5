import autocannon from "autocannon";
const base = "http://127.0.0.1:3300";
const creds = { email: "demo@example.com", password: "demo-password" };
let r = await fetch(base + "/api/auth/token", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(creds) });
const tok = (await r.json()).access_token;
const res = await autocannon({ url: base + "/api/me", headers: { authorization: "Bearer " + tok }, connections: 10, duration: 8 });
console.log(Math.round(res.requests.average), "req/s p50", res.latency.p50, "p99", res.latency.p99, "non2xx", res.non2xx);
