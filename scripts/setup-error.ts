// Something the person running a command can fix by running another one
// (or setting a variable). scripts/preflight.ts prints it as one line,
// never as a stack trace.
export class SetupError extends Error {
  override name = "SetupError";
}
