// An empty stand-in for Effect's `effect/FastCheck` (fast-check and pure-rand, about 45 KB minified) in
// the page's bundles. Effect's Schema imports it for the arbitraries a property test builds from a
// schema (`Arbitrary.make`); the page never builds one, so nothing here is ever read. esbuild.config.mjs
// resolves Effect's import here for the page's bundles only; tests and the command line keep the real one.
export {}
