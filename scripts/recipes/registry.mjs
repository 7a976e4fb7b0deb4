// The registry the recipe scripts build models from: TRM and the baseline, plus HRM once @recurse/hrm exports its
// plugin.
import { createRegistry } from "@recurse/core";
import { trm } from "@recurse/trm";

export async function recipeRegistry() {
  const registry = createRegistry().use(trm);
  const hrm = await import("@recurse/hrm").catch(() => undefined);
  if (hrm?.hrm) registry.use(hrm.hrm);
  return registry;
}
