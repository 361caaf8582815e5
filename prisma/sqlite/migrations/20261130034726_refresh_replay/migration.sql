-- AlterTable
ALTER TABLE "RefreshToken" ADD COLUMN "replayedAt" DATETIME;
