import { describe, expect, it } from "vitest";
import { decryptAtRest, encryptAtRest } from "@/lib/auth/encryption";

const tokens = { salt: "test tokens", info: "v1" };
const keys = { salt: "test keys", info: "v1" };

describe("encryption at rest", () => {
  it("opens what it sealed for the same row and purpose", () => {
    const sealed = encryptAtRest("secret value", tokens, "row-1");
    expect(sealed).not.toContain("secret");
    expect(decryptAtRest(sealed, tokens, "row-1")).toBe("secret value");
  });

  it("never seals the same value to the same text twice", () => {
    expect(encryptAtRest("x", tokens, "row-1")).not.toBe(encryptAtRest("x", tokens, "row-1"));
  });

  it("refuses a ciphertext copied onto another row", () => {
    expect(decryptAtRest(encryptAtRest("x", tokens, "row-1"), tokens, "row-2")).toBeNull();
  });

  it("refuses a ciphertext sealed for another purpose", () => {
    expect(decryptAtRest(encryptAtRest("x", tokens, "row-1"), keys, "row-1")).toBeNull();
  });

  it("refuses an altered or malformed ciphertext", () => {
    const [version, iv, body = ""] = encryptAtRest("value", tokens, "row-1").split(".");
    const flipped = Buffer.from(body, "base64url");
    flipped.writeUInt8(flipped.readUInt8(0) ^ 1, 0);
    expect(decryptAtRest(`${version}.${iv}.${flipped.toString("base64url")}`, tokens, "row-1")).toBeNull();
    expect(decryptAtRest("v2.a.b", tokens, "row-1")).toBeNull();
    expect(decryptAtRest("garbage", tokens, "row-1")).toBeNull();
  });
});
