-- AlterTable
ALTER TABLE "User" ADD COLUMN     "credentialVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "credentialVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "RefreshFamily" ADD COLUMN     "credentialVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "RateBucket" (
    "key" TEXT NOT NULL,
    "fullAt" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "RateBucket_pkey" PRIMARY KEY ("key")
);
