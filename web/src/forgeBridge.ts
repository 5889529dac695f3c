/**
 * The four parts of `@forge/bridge` 7.2.0 the page uses, imported from their own modules. The package is
 * CommonJS, so importing its index pulls every module into the bundle (i18n, iframe-resizer, modal,
 * realtime, …: about 33 KB gzipped of the page's 49 KB); these four need about 10 KB. The package's
 * `exports` map hides these paths, hence the relative import; the version is pinned in package.json,
 * and a layout change on upgrade fails the build loudly rather than silently.
 */
export { invoke } from "../../node_modules/@forge/bridge/out/invoke/invoke.js"
export { router } from "../../node_modules/@forge/bridge/out/router/router.js"
export { close } from "../../node_modules/@forge/bridge/out/view/close.js"
export { getContext } from "../../node_modules/@forge/bridge/out/view/getContext.js"
export { theme } from "../../node_modules/@forge/bridge/out/view/theme.js"
