-- AlterTable
ALTER TABLE "SigningKey" ADD COLUMN "activatesAt" DATETIME;
