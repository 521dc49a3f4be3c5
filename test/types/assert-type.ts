/** `true` only when A and B are the same type (not merely assignable), to pin a type down exactly. */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only with `true`: `expectType<Equal<typeof x, string>>(true)`. */
export function expectType<Check extends true>(check: Check): Check {
  return check;
}
