-- AlterTable (SQLite adds a NOT NULL column with a constant default in
-- place; `prisma migrate diff` would rebuild the three tables instead)
ALTER TABLE "User" ADD COLUMN "credentialVersion" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Session" ADD COLUMN "credentialVersion" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "RefreshFamily" ADD COLUMN "credentialVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "RateBucket" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "fullAt" REAL NOT NULL
);
