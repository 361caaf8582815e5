-- CreateTable
CREATE TABLE "ValidAfterStamp" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "validAfter" DATETIME NOT NULL,
    CONSTRAINT "ValidAfterStamp_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
