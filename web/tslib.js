// The three tslib helpers the page's CommonJS dependencies call (@forge/i18n, through @forge/bridge's
// getContext: `__exportStar`, `__importDefault`), as tslib 2 defines them. esbuild cannot tree-shake a
// CommonJS `require("tslib")`, so the whole library (11 KB, about 3 KB gzip) would otherwise ride in
// the page's first load. esbuild.config.mjs aliases `tslib` here for the page's bundles only.
const createBinding = (target, source, key) => {
  let descriptor = Object.getOwnPropertyDescriptor(source, key)
  if (
    !descriptor ||
    ("get" in descriptor ? !source.__esModule : descriptor.writable || descriptor.configurable)
  )
    descriptor = { enumerable: true, get: () => source[key] }
  Object.defineProperty(target, key, descriptor)
}

export const __exportStar = (source, target) => {
  for (const key in source)
    if (key !== "default" && !Object.hasOwn(target, key)) createBinding(target, source, key)
}

export const __importDefault = (module) => (module?.__esModule ? module : { default: module })

export const __importStar = (module) => {
  if (module?.__esModule) return module
  const result = {}
  if (module != null)
    for (const key in module)
      if (key !== "default" && Object.hasOwn(module, key)) createBinding(result, module, key)
  result.default = module
  return result
}
