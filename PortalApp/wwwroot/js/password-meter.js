// A hint while typing; the server's check (zxcvbn) decides. Works on any page with #password and #password-strength.
(() => {
    const input = document.getElementById("password");
    const meter = document.getElementById("password-strength");
    const text = document.getElementById("password-strength-text");
    if (!input || !meter || !text) return;
    const personal = (input.dataset.userWords || "").toLowerCase().split(/[\s@.\-_]+/).filter(w => w.length >= 3);
    const common = ["password", "123456", "qwerty", "letmein", "welcome", "iloveyou", "monkey", "dragon"];

    const estimate = value => {
        const lower = value.toLowerCase();
        if (value.length === 0) return [0, ""];
        if (value.length < 12) return [1, `Too short: ${12 - value.length} more character${value.length === 11 ? "" : "s"} needed.`];
        if (personal.some(w => lower.includes(w)) || common.some(w => lower.includes(w)))
            return [1, "Avoid your name, email, the clinic's name and common words."];
        const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter(r => r.test(value)).length;
        const words = value.trim().split(/\s+/).length;
        const score = Math.min(4, (value.length >= 16 ? 2 : 1) + (kinds >= 3 ? 1 : 0) + (words >= 3 ? 1 : 0) + (value.length >= 20 ? 1 : 0));
        return [score, score >= 3 ? "Looks strong." : "Getting there: add another word."];
    };

    input.addEventListener("input", () => {
        const [score, message] = estimate(input.value);
        meter.value = score;
        text.textContent = message;
    });
})();
