// On a patient's intake form (no framework; served from our own origin as the page's policy asks):
// - hides and shows questions by their show/hide rules (data-enable-when) as the patient answers. The server applies
//   the same rules at every post and ignores answers to hidden questions, so this is for the eye only;
// - saves the draft a second after the last change, with the page's antiforgery token, and says so in a live region;
// - moves focus to the list of problems when the server sent one.
(() => {
    document.querySelector("[data-focus-on-load]")?.focus();
    const form = document.getElementById("intake-form");
    if (!form) return;
    const status = document.getElementById("form-draft-status");
    const known = JSON.parse(form.dataset.known || "{}");
    const items = [...form.querySelectorAll("[data-link-id]")];
    const byId = new Map(items.map(el => [el.dataset.linkId, el]));

    const hidden = el => el.closest("[data-form-hidden]") !== null;
    const field = name => form.querySelectorAll(`[name="${CSS.escape(name)}"]`);

    // The values a rule compares, as the server's EnableWhenEvaluator reads them.
    const valuesOf = linkId => {
        const el = byId.get(linkId);
        if (!el) return known[linkId] || [];
        if (hidden(el)) return [];
        const values = [];
        field(`a.${linkId}`).forEach(input => {
            if (input.type === "file") { if (input.files.length > 0) values.push("attached"); }
            else if (input.type === "checkbox" || input.type === "radio") { if (input.checked) values.push(input.value); }
            else if (input.value.trim() !== "") values.push(input.value.trim());
        });
        field(`a.${linkId}.other`).forEach(input => { if (input.value.trim() !== "") values.push(input.value.trim()); });
        const agree = field(`a.${linkId}.agree`)[0];
        if (agree) {
            const name = field(`a.${linkId}.name`)[0];
            return agree.checked || (name && name.value.trim() !== "") ? [agree.checked && name && name.value.trim() !== "" ? "true" : "false"] : [];
        }
        if (values.length === 0 && el.querySelector(".form-remove-file")) values.push("attached");
        return values;
    };

    const compare = (a, b) => {
        const x = Number(a), y = Number(b);
        if (a !== "" && b !== "" && !Number.isNaN(x) && !Number.isNaN(y)) return x === y ? 0 : x < y ? -1 : 1;
        if (/^\d{4}-\d{2}-\d{2}$/.test(a) && /^\d{4}-\d{2}-\d{2}$/.test(b)) return a === b ? 0 : a < b ? -1 : 1;
        return null;
    };
    const same = (a, b) => { const c = compare(a, b); return c === null ? a.toLowerCase() === b.trim().toLowerCase() : c === 0; };

    const holds = rule => {
        const values = valuesOf(rule.question);
        if (rule.operator === "exists") return (values.length > 0) === (rule.answer === null || rule.answer === undefined || rule.answer === "true");
        if (values.length === 0 || rule.answer === null || rule.answer === undefined) return false;
        switch (rule.operator) {
            case "equals": return values.some(v => same(v, rule.answer));
            case "notEquals": return !values.some(v => same(v, rule.answer));
            default: return values.some(v => {
                const c = compare(v, rule.answer);
                if (c === null) return false;
                return { greaterThan: c > 0, lessThan: c < 0, greaterOrEqual: c >= 0, lessOrEqual: c <= 0 }[rule.operator] === true;
            });
        }
    };

    // In page order: a rule only looks at earlier questions, so one pass decides each item.
    const apply = () => items.forEach(el => {
        if (!el.dataset.enableWhen) return;
        const rules = JSON.parse(el.dataset.enableWhen);
        const show = el.dataset.enableBehavior === "any" ? rules.some(holds) : rules.every(holds);
        if (show) el.removeAttribute("data-form-hidden"); else el.setAttribute("data-form-hidden", "");
    });

    let timer = null;
    const save = async () => {
        const body = new URLSearchParams();
        for (const [name, value] of new FormData(form)) {
            if (typeof value === "string" && name !== "go" && name !== "remove") body.append(name, value);
        }
        try {
            const response = await fetch(form.dataset.draftUrl, { method: "POST", body, credentials: "same-origin", cache: "no-store" });
            const result = await response.json().catch(() => ({}));
            status.textContent = response.ok ? `Draft saved ${result.savedAt}` : (result.problem || "The draft could not be saved just now. Your answers are still here.");
        } catch {
            status.textContent = "The draft could not be saved just now (no connection?). Your answers are still here.";
        }
    };
    const changed = () => {
        apply();
        clearTimeout(timer);
        timer = setTimeout(save, 1000);
    };
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", () => clearTimeout(timer));
    apply();
})();
