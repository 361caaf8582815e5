-- AlterTable
ALTER TABLE "Session" ADD COLUMN "heldTokens" TEXT;
