-- CreateTable
CREATE TABLE "ValidAfterStamp" (
    "userId" TEXT NOT NULL,
    "validAfter" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ValidAfterStamp_pkey" PRIMARY KEY ("userId")
);

-- AddForeignKey
ALTER TABLE "ValidAfterStamp" ADD CONSTRAINT "ValidAfterStamp_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
