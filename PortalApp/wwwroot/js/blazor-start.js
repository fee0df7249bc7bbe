// Starts Blazor without a <base href="/">. The Content-Security-Policy says base-uri 'none' (OWASP ASVS 5.0 3.4.3),
// so browsers ignore any <base>, and a page's base address is the page itself: /clients/5 would make Blazor take
// /clients/ for the app's root, route "5", and open its circuit at /clients/_blazor. The app is served from the site
// root: say so to Blazor, which reads its root from document.baseURI, and connect the circuit at /_blazor.
"use strict";
Object.defineProperty(document, "baseURI", { get: () => `${location.origin}/`, configurable: true });
Blazor.start({
    circuit: { configureSignalR: builder => builder.withUrl("/_blazor") },
});
