// The registry the recipe scripts build models from: TRM, the single-pass baseline and HRM.
import { createRegistry } from "@recurse/core";
import { hrm } from "@recurse/hrm";
import { trm } from "@recurse/trm";

export async function recipeRegistry() {
  return createRegistry().use(trm).use(hrm);
}
