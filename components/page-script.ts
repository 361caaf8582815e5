// What page script can read of the cookies set for `path`, as injected
// script would get it. document.cookie lists the cookies whose Path matches
// the document's URL, so for a cookie with a Path of its own (the refresh
// cookie's /api/auth/refresh, a lab strategy's /api/lab/<name>) the page
// moves its own URL there for a moment: Path keeps a cookie off other routes' requests,
// it does not hide it from script. Only HttpOnly does.
export function cookiesScriptSeesAt(path: string): string {
  const here = window.location.href;
  window.history.replaceState(window.history.state, "", path);
  try {
    return document.cookie;
  } finally {
    window.history.replaceState(window.history.state, "", here);
  }
}
