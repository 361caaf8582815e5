// What a sign-in and a registration send: an email and a password, both
// strings, of a size worth looking at. One schema for both; what each then
// asks of the values (the policies for a new account, the password check
// for a sign-in) is its own.
import { z } from "zod";

export type Credentials = { email: string; password: string };

export const CredentialsShape = z.object({
  email: z
    .string({ error: (issue) => (issue.input === undefined ? "Enter your email address." : "Email must be a string.") })
    .max(1024, "Email must be at most 1024 characters."),
  password: z
    .string({ error: (issue) => (issue.input === undefined ? "Enter a password." : "Password must be a string.") })
    .max(4096, "Password must be at most 4096 characters."),
});
