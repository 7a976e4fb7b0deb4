import { describe, expect, it } from "vitest";
import { cosineScheduleWithWarmup } from "@recurse/core";

describe("cosineScheduleWithWarmup", () => {
  const base = { baseLr: 1e-4, warmupSteps: 2000, totalSteps: 26041 };

  it("step 1 uses base/warmup and warmup is linear", () => {
    expect(cosineScheduleWithWarmup(1, { ...base, minRatio: 1 })).toBe(1e-4 / 2000);
    expect(cosineScheduleWithWarmup(1000, { ...base, minRatio: 1 })).toBeCloseTo(0.5e-4, 15);
  });

  it("min ratio 1 (the reference default) is constant after warmup", () => {
    for (const step of [2000, 2001, 10000, 26041]) expect(cosineScheduleWithWarmup(step, { ...base, minRatio: 1 })).toBe(1e-4);
  });

  it("decays by half a cosine from base to base·minRatio", () => {
    const opts = { baseLr: 1, warmupSteps: 10, totalSteps: 110, minRatio: 0.1 };
    expect(cosineScheduleWithWarmup(10, opts)).toBeCloseTo(1, 12);
    expect(cosineScheduleWithWarmup(60, opts)).toBeCloseTo(0.1 + 0.9 * 0.5, 12);
    expect(cosineScheduleWithWarmup(35, opts)).toBeCloseTo(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), 12);
    expect(cosineScheduleWithWarmup(110, opts)).toBeCloseTo(0.1, 12);
  });

  it("no warmup and a zero-length decay do not divide by zero", () => {
    expect(cosineScheduleWithWarmup(0, { baseLr: 2, warmupSteps: 0, totalSteps: 0, minRatio: 0 })).toBe(2);
  });
});
