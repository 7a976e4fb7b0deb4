import type { z } from "zod";

/** Dotted path of a zod issue (`halting.maxSteps`, `sets[1]`); empty for the root. */
export function issuePath(path: readonly PropertyKey[], prefix = ""): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** The expected form of a zod issue in words, when zod says it. */
export function issueExpected(issue: z.core.$ZodIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      return issue.expected;
    case "invalid_value":
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return `${issue.origin === "array" || issue.origin === "string" ? "length " : ""}${issue.inclusive === false ? ">" : ">="} ${String(issue.minimum)}`;
    case "too_big":
      return `${issue.origin === "array" || issue.origin === "string" ? "length " : ""}${issue.inclusive === false ? "<" : "<="} ${String(issue.maximum)}`;
    case "unrecognized_keys":
      return "no other keys";
    default:
      return undefined;
  }
}

/** One line per issue: `path: message`, for error messages that list every problem at once. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix = ""): string {
  return issues
    .map((issue) => {
      const path = issuePath(issue.path, prefix);
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}
