-- AlterTable
ALTER TABLE "RefreshToken" ADD COLUMN     "replayedAt" TIMESTAMP(3);
