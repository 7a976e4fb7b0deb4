import { InvalidArgumentError } from "commander";

/** A commander argument parser for an integer in [min, max], with the flag named in the error. */
export function parseInteger(flag: string, min = -Infinity, max = Infinity): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`${flag} expects an integer, got '${value}'.`);
    if (n < min || n > max) {
      throw new InvalidArgumentError(`${flag} expects an integer ${max === Infinity ? `>= ${min}` : `from ${min} to ${max}`}, got ${n}.`);
    }
    return n;
  };
}

/** A commander argument parser for a finite number in [min, max]. */
export function parseNumber(flag: string, min = -Infinity, max = Infinity): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError(`${flag} expects a number, got '${value}'.`);
    if (n < min || n > max) throw new InvalidArgumentError(`${flag} expects a number ${max === Infinity ? `>= ${min}` : `from ${min} to ${max}`}, got ${n}.`);
    return n;
  };
}
