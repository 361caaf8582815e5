-- AlterTable
ALTER TABLE "RefreshFamily" ADD COLUMN "dpopJkt" TEXT;

-- CreateTable
CREATE TABLE "DpopProof" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "DpopProof_expiresAt_idx" ON "DpopProof"("expiresAt");
