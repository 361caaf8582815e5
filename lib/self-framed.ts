// The one page this origin may frame, and only itself: a hidden tab of the
// dashboard's several-tabs experiment (components/dashboard/tabs/). Every
// other page answers X-Frame-Options: DENY and frame-ancestors 'none'
// (next.config.mjs, lib/content-security-policy.ts). Named once for the
// proxy, the policy and the page script that frames it.
export const SELF_FRAMED_PATH = "/dashboard/hidden-tab";
