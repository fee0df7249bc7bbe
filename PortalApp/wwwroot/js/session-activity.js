// Tells the server, at most every 30 seconds, that someone is using this staff tab (keys, clicks, touches, scrolling).
// Timers and live updates do not count: only a person keeps a session from timing out.
export function start(dotnet) {
    let last = 0;
    const report = () => {
        const now = Date.now();
        if (now - last < 30000) return;
        last = now;
        dotnet.invokeMethodAsync("Active").catch(() => { });
    };
    const events = ["keydown", "pointerdown", "wheel", "touchstart"];
    events.forEach(name => document.addEventListener(name, report, { passive: true, capture: true }));
    return { stop: () => events.forEach(name => document.removeEventListener(name, report, { capture: true })) };
}
