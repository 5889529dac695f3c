/**
 * The scripts of the Jira frame around the app, as the local host plays them: the bridge Jira injects
 * before the app's bundle, and Forge's "Allow access" prompt, which Jira shows over the app when an
 * invocation needs the user's consent (dev/consent.ts).
 */

/**
 * The frame script Jira injects before the app bundle. `@forge/bridge` looks up
 * `window.__bridge.callBridge` when its modules load, so this must run first.
 */
export const bridgeShim = `(() => {
  const send = (path, body) => fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const post = async (path, body) => answerOf(await send(path, body));
  const answerOf = async (response) => {
    const text = await response.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    // The prompt takes the app's place; the call never answers, since allowing access loads the app again.
    if (json && json.consentRequired) { window.__hostConsentPrompt(); return new Promise(() => {}); }
    if (!response.ok) throw new Error((json && json.message) || ("The local Forge host answered " + response.status));
    return json;
  };
  const params = new URLSearchParams(location.search);
  const colorMode = params.get("theme") === "dark" ? "dark" : "light";
  let contextPromise;
  const context = () => (contextPromise ??= post("./__host/context", { colorMode, search: location.search }));
  window.__hostCalls = [];
  window.__bridge = {
    callBridge: async (method, args) => {
      window.__hostCalls.push(method === "invoke" ? "invoke:" + args.functionKey : method);
      switch (method) {
        case "invoke": return (await post("./__host/invoke", { functionKey: args.functionKey, payload: args.payload })).result;
        case "getContext": return context();
        // requestJira: the host reads Jira as the signed-in user (dev/productFetch.ts).
        // Jira's answer comes as it is, its status and headers beside it (dev/productFetch.ts).
        case "fetchProduct": {
          const response = await send("./__host/fetch", args);
          const status = response.headers.get("x-jira-status");
          if (status === null) return answerOf(response);
          return {
            status: Number(status),
            statusText: decodeURIComponent(response.headers.get("x-jira-status-text") || ""),
            headers: JSON.parse(decodeURIComponent(response.headers.get("x-jira-headers") || "%7B%7D")),
            body: await response.text(),
            isAttachment: false,
          };
        }
        case "enableTheming": {
          const html = document.documentElement;
          html.setAttribute("data-color-mode", colorMode);
          html.setAttribute("data-theme", "dark:dark light:light spacing:spacing typography:typography");
          if (!document.getElementById("__host-tokens")) {
            const link = document.createElement("link");
            link.id = "__host-tokens"; link.rel = "stylesheet"; link.href = "./__host/tokens.css";
            document.head.prepend(link);
          }
          return undefined;
        }
        case "close": { window.__hostClosed = true; document.body.classList.add("host-closed"); return true; }
        case "open": { window.__hostOpened = (window.__hostOpened || []).concat([args]); return undefined; }
        case "navigate": { window.__hostNavigated = (window.__hostNavigated || []).concat([args]); return undefined; }
        case "changeWindowTitle": { document.title = String(args && args.title || document.title); return undefined; }
        case "emitReadyEvent": case "initFeatureFlags": case "emitFrontendCustomMetric": return undefined;
        default: throw new Error("The local Forge host does not support the bridge method " + method + ".");
      }
    },
  };
})();
`

/**
 * Forge's consent screen: over the app, a heading, what the app asks for and an "Allow access"
 * button. The button grants consent in the host (as the user's grant does on Forge) and loads the
 * app again.
 */
export const consentPrompt = `(() => {
  window.__hostConsentPrompt = () => {
    if (document.getElementById("__host-consent")) return;
    const overlay = document.createElement("div");
    overlay.id = "__host-consent";
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-labelledby", "__host-consent-title");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;display:flex;align-items:center;justify-content:center;background:rgba(9,30,66,0.54);font:14px/1.5 system-ui,sans-serif";
    const card = document.createElement("div");
    card.style.cssText = "max-width:440px;padding:24px;border-radius:8px;background:#fff;color:#172B4D;box-shadow:0 8px 24px rgba(9,30,66,0.3)";
    const title = document.createElement("h2");
    title.id = "__host-consent-title";
    title.textContent = "Allow access";
    const text = document.createElement("p");
    text.textContent = "This app needs your permission to read Jira as you: your profile, and the issues, fields and users you can see (read:jira-work, read:jira-user).";
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Allow access";
    button.style.cssText = "padding:6px 12px;border:0;border-radius:3px;background:#0C66E4;color:#fff;font:inherit;cursor:pointer";
    button.addEventListener("click", async () => {
      button.disabled = true;
      await fetch("./__host/consent", { method: "POST" });
      location.reload();
    });
    card.append(title, text, button);
    overlay.append(card);
    document.body.append(overlay);
    button.focus();
  };
})();
`
