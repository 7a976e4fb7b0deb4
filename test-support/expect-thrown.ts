/** Assertion on a synchronous failure, for tests that check an error's class and message. Test support only. */
import { expect } from "vitest";

/**
 * Run `fn`, expect it to throw an instance of `type` whose message matches every one of `parts` (a string matches
 * as a substring), and return the error for further checks of its fields.
 *
 * @example
 * const err = expectThrown(() => decodeNpy(bytes, "t.npy"), DataFormatError, /t\.npy: data/, /truncated data/);
 * expect(err.field).toBe("data");
 */
export function expectThrown<E extends Error>(fn: () => unknown, type: abstract new (...args: any[]) => E, ...parts: (string | RegExp)[]): E {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(type);
  for (const p of parts) expect((caught as Error).message).toMatch(p);
  return caught as E;
}
