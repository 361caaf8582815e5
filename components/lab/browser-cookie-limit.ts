// The longest cookie, name and value in bytes, this browser keeps: found by
// setting probe cookies from page script and reading them back, the way a
// Set-Cookie that is too long is dropped (RFC 6265bis §5.6: user agents
// ignore a cookie whose name and value are longer than 4096 bytes, and
// Chromium's check is the same for both). The probe lives at this page's
// own path for a few seconds and is removed at once.
const PROBE = "svj_cookie_probe";

function keeps(length: number): boolean {
  const value = "x".repeat(length - PROBE.length);
  const path = window.location.pathname;
  document.cookie = `${PROBE}=${value}; path=${path}; max-age=10; samesite=strict`;
  const kept = document.cookie.split("; ").some((pair) => pair === `${PROBE}=${value}`);
  document.cookie = `${PROBE}=; path=${path}; max-age=0`;
  return kept;
}

// Searches 1 byte past the name up to 64 KiB; null if even the shortest is
// not kept (cookies switched off). Measured once per page load.
let measured: number | null | undefined;
export function measureCookieLimit(): number | null {
  if (measured === undefined) measured = search();
  return measured;
}

function search(): number | null {
  let low = PROBE.length + 1;
  if (!keeps(low)) return null;
  let high = 65_536;
  if (keeps(high)) return high;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (keeps(middle)) low = middle;
    else high = middle;
  }
  return low;
}
