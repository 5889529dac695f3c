// An empty stand-in for fast-check (with pure-rand, about 45 KB minified) in the page's bundles.
// Effect's `effect/FastCheck` re-exports it for the arbitraries a property test builds from a schema
// (`Arbitrary.make`); the page never builds one, so nothing here is ever read. esbuild.config.mjs
// aliases `fast-check` here for the page's bundles only; tests and the command line keep the real one.
export {}
