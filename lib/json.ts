// What a value looks like after Response.json() and response.json(): dates
// become ISO strings. Client components type an endpoint's answer as
// Json<the type its producer returns>, so the two cannot drift apart.
export type Json<T> = T extends Date
  ? string
  : T extends (infer Item)[]
    ? Json<Item>[]
    : T extends object
      ? { [Key in keyof T]: Json<T[Key]> }
      : T;
