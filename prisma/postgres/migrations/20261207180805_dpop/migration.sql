-- AlterTable
ALTER TABLE "RefreshFamily" ADD COLUMN     "dpopJkt" TEXT;

-- CreateTable
CREATE TABLE "DpopProof" (
    "key" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DpopProof_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "DpopProof_expiresAt_idx" ON "DpopProof"("expiresAt");
