// The signature algorithms this server accepts on DPoP proofs (RFC 9449),
// as discovery and every DPoP challenge (WWW-Authenticate: DPoP algs=…) say.
export const DPOP_ALGORITHMS = ["ES256", "EdDSA"];
