import { chmodSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { ensurePrivateSqliteFile } from "@/lib/private-files";

const mode = (file: string) => statSync(file).mode & 0o777;

describe("the database on disk", () => {
  it("a new database and the folder made for it are this user's only, and so are SQLite's own files", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "svj-private-")), "made", "app.db");
    ensurePrivateSqliteFile(file);
    expect(mode(path.dirname(file))).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    const connection = new Database(file);
    connection.pragma("journal_mode = WAL");
    connection.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)");
    expect(mode(`${file}-wal`)).toBe(0o600);
    expect(mode(`${file}-shm`)).toBe(0o600);
    connection.close();
  });

  it("an existing database readable by others is tightened", () => {
    const folder = mkdtempSync(path.join(tmpdir(), "svj-private-"));
    chmodSync(folder, 0o755);
    const file = path.join(folder, "app.db");
    writeFileSync(file, "", { mode: 0o644 });
    writeFileSync(`${file}-wal`, "", { mode: 0o644 });
    ensurePrivateSqliteFile(file);
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-wal`)).toBe(0o600);
    // A folder it did not make, named by a setting, is left as it is (it may be shared).
    expect(mode(folder)).toBe(0o755);
  });
});
