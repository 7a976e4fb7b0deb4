/**
 * Bookkeeping for the reliability fuzzers: every case a parser is given goes through {@link Ledger.run}, which
 * insists that the parser either returns or throws a typed {@link RecurseError} whose message names the input, and
 * counts the outcome. Each test file prints its ledger at the end, so a run shows how many cases and injected
 * faults every parser saw.
 */
import { expect } from "vitest";
import { RecurseError } from "@recurse/core";

interface Tally {
  cases: number;
  accepted: number;
  rejected: number;
  /** Faults deliberately injected into otherwise valid inputs (a subset of `cases`). */
  faults: number;
  /** Slowest single case, ms: a parser that loops on hostile input shows here before it hangs the suite. */
  slowestMs: number;
  errorClasses: Map<string, number>;
}

/** What the thrown error must mention: the file (or other label) the parser was told the input came from. */
export interface Expectation {
  /** A string the message must contain (the file name given to the parser), or a list of which one suffices. */
  names?: string | readonly string[];
  /** This case injects a fault into a valid input (counted separately in the report). */
  fault?: boolean;
  /** The case must be rejected (a fault that can never yield a valid file). */
  mustReject?: boolean;
  /** Required error class (default: any RecurseError subclass). */
  errorClass?: abstract new (...args: never[]) => RecurseError;
}

/** Longest a single parse may take before the case counts as a hang. */
const CASE_BUDGET_MS = 2_000;

export class Ledger {
  private readonly tallies = new Map<string, Tally>();

  constructor(private readonly title: string) {}

  private tally(parser: string): Tally {
    let t = this.tallies.get(parser);
    if (!t) {
      t = { cases: 0, accepted: 0, rejected: 0, faults: 0, slowestMs: 0, errorClasses: new Map() };
      this.tallies.set(parser, t);
    }
    return t;
  }

  /** Run one synchronous case. Returns the parser's value, or undefined when it threw (a typed error). */
  run<T>(parser: string, expectation: Expectation, fn: () => T): T | undefined {
    const started = performance.now();
    let value: T;
    try {
      value = fn();
    } catch (e) {
      this.record(parser, expectation, started, e);
      return undefined;
    }
    this.record(parser, expectation, started, undefined);
    return value;
  }

  /** Run one asynchronous case (file readers). */
  async runAsync<T>(parser: string, expectation: Expectation, fn: () => Promise<T>): Promise<T | undefined> {
    const started = performance.now();
    let value: T;
    try {
      value = await fn();
    } catch (e) {
      this.record(parser, expectation, started, e);
      return undefined;
    }
    this.record(parser, expectation, started, undefined);
    return value;
  }

  private record(parser: string, x: Expectation, started: number, error: unknown): void {
    const t = this.tally(parser);
    const ms = performance.now() - started;
    t.cases++;
    if (x.fault) t.faults++;
    t.slowestMs = Math.max(t.slowestMs, ms);
    expect(ms, `${parser}: one case took ${ms.toFixed(0)} ms`).toBeLessThan(CASE_BUDGET_MS);
    if (error === undefined) {
      t.accepted++;
      if (x.mustReject) expect.fail(`${parser}: accepted an input with an injected fault that must be rejected`);
      return;
    }
    t.rejected++;
    if (!(error instanceof RecurseError)) {
      const e = error as Error;
      expect.fail(`${parser}: threw ${e?.constructor?.name ?? typeof error} instead of a RecurseError: ${e?.message ?? String(error)}\n${e?.stack ?? ""}`);
    }
    if (x.errorClass && !(error instanceof x.errorClass)) {
      const e = error as RecurseError;
      expect.fail(`${parser}: threw ${e.name} where ${x.errorClass.name} was expected: ${e.message}`);
    }
    const name = error.constructor.name;
    t.errorClasses.set(name, (t.errorClasses.get(name) ?? 0) + 1);
    expect(error.message.trim().length, `${parser}: empty error message`).toBeGreaterThan(0);
    const names = x.names === undefined ? [] : typeof x.names === "string" ? [x.names] : x.names;
    if (names.length > 0 && !names.some((n) => error.message.includes(n))) {
      expect.fail(`${parser}: the message does not name ${names.map((n) => JSON.stringify(n)).join(" or ")}: ${error.message}`);
    }
  }

  /** Cases seen by `parser` so far. */
  cases(parser: string): number {
    return this.tallies.get(parser)?.cases ?? 0;
  }

  /** Counters of one parser (for assertions that a property really exercised both outcomes). */
  counts(parser: string): { cases: number; accepted: number; rejected: number; faults: number } {
    const t = this.tally(parser);
    return { cases: t.cases, accepted: t.accepted, rejected: t.rejected, faults: t.faults };
  }

  /** The ledger as printable lines: one per parser. */
  report(): string {
    const rows = [...this.tallies].map(([parser, t]) => {
      const classes = [...t.errorClasses].map(([c, n]) => `${c} ${n}`).join(", ");
      return `  ${parser}: ${t.cases} cases (${t.faults} injected faults), ${t.accepted} accepted, ${t.rejected} rejected${classes ? ` [${classes}]` : ""}, slowest ${t.slowestMs.toFixed(1)} ms`;
    });
    const total = [...this.tallies.values()].reduce((a, t) => a + t.cases, 0);
    const faults = [...this.tallies.values()].reduce((a, t) => a + t.faults, 0);
    return `reliability ledger, ${this.title}: ${total} cases, ${faults} injected faults\n${rows.join("\n")}`;
  }

  print(): void {
    console.log(this.report());
  }
}
