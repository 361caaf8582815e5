-- AlterTable
ALTER TABLE "RefreshFamily" ADD COLUMN "ip" TEXT;
ALTER TABLE "RefreshFamily" ADD COLUMN "lastUsedAt" DATETIME;
ALTER TABLE "RefreshFamily" ADD COLUMN "userAgent" TEXT;
