// On signed-in portal pages: asks every 20 seconds whether the session still stands, and if not says so on the
// page and disables its forms, so a page left open does not pretend the patient can still act. A caregiver's page
// also learns when their access to the patient it shows has ended.
(() => {
    const marker = document.getElementById("portal-session");
    if (!marker) return;
    const clinic = marker.dataset.clinic || "the clinic";
    let stopped = false;

    const viewing = marker.dataset.viewing || "";

    const endPage = (ended, patientLost) => {
        stopped = true;
        const banner = document.createElement("div");
        banner.setAttribute("role", "alert");
        banner.className = "portal-ended";
        banner.textContent = patientLost
            ? `Your access to this person's portal has ended. Contact ${clinic} with any questions. `
            : ended
                ? `Your portal access has ended. Contact ${clinic}.`
                : "You have been signed out. Sign in again to go on.";
        if (patientLost) {
            const home = document.createElement("a");
            home.href = "/portal";
            home.textContent = "Go to your portal home";
            banner.appendChild(home);
        }
        const main = document.getElementById("main");
        main.insertBefore(banner, main.firstChild);
        document.querySelectorAll("main form button, main form input, main form textarea").forEach(el => el.disabled = true);
    };

    const check = async () => {
        if (stopped) return;
        try {
            const response = await fetch(`/portal/session?viewing=${encodeURIComponent(viewing)}`, { credentials: "same-origin", cache: "no-store" });
            if (!response.ok) return;
            const state = await response.json();
            if (!state.active) endPage(state.ended, false);
            else if (state.patientLost) endPage(false, true);
        } catch {
            // Offline for a moment: try again at the next tick.
        }
    };
    setInterval(check, 20000);
})();
