// Tests import plain-JavaScript helpers and examples (*.mjs) that carry no declarations; type-checking the tests
// (tsconfig.test.json) treats them as untyped rather than guessing their types from the JavaScript.
declare module "*.mjs";
