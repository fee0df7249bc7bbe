// Mouse and touch reordering in the form builder, with pointer events rather than HTML drag and drop: Chromium let go of
// native drags as Blazor re-rendered the builder, and native drag and drop does nothing on phones and tablets. Only the
// drop reaches the server; the highlight under the pointer is drawn here. Keyboard users have the Move up / Move down buttons.
export function attach(container, builder) {
    let dragged = null, target = null;

    const mark = el => {
        if (target === el) return;
        target?.classList.remove('builder-drop-target');
        target = el;
        target?.classList.add('builder-drop-target');
    };
    const end = () => {
        mark(null);
        dragged = null;
        container.classList.remove('builder-dragging');
    };
    const dropAreaAt = (x, y) => {
        const area = document.elementFromPoint(x, y)?.closest('[data-drop]');
        return area && container.contains(area) && area.dataset.drop !== dragged ? area : null;
    };

    const onDown = e => {
        const handle = e.target.closest('[data-drag]');
        if (!handle || !container.contains(handle) || e.button !== 0) return;
        e.preventDefault();
        dragged = handle.dataset.drag;
        handle.setPointerCapture?.(e.pointerId);
        container.classList.add('builder-dragging');
    };
    // Near the top or bottom of the window the page scrolls, so a long form's far end can be reached while dragging.
    let scrolling = 0, lastX = 0, lastY = 0;
    const edge = 60;
    const scroll = () => {
        const step = lastY < edge ? -12 : lastY > innerHeight - edge ? 12 : 0;
        if (!dragged || step === 0) { scrolling = 0; return; }
        scrollBy(0, step);
        mark(dropAreaAt(lastX, lastY));
        scrolling = requestAnimationFrame(scroll);
    };
    const onMove = e => {
        if (!dragged) return;
        lastX = e.clientX; lastY = e.clientY;
        mark(dropAreaAt(lastX, lastY));
        if (!scrolling) scrolling = requestAnimationFrame(scroll);
    };
    const onUp = e => {
        if (!dragged) return;
        const area = dropAreaAt(e.clientX, e.clientY), from = dragged;
        end();
        if (area) builder.invokeMethodAsync('DropAsync', from, area.dataset.drop);
    };
    const onKey = e => { if (dragged && e.key === 'Escape') end(); };

    container.addEventListener('pointerdown', onDown);
    container.dataset.dragReady = 'true';
    document.addEventListener('pointermove', onMove);
    document.addEventListener('pointerup', onUp);
    document.addEventListener('pointercancel', end);
    document.addEventListener('keydown', onKey);
    return {
        detach() {
            delete container.dataset.dragReady;
            container.removeEventListener('pointerdown', onDown);
            document.removeEventListener('pointermove', onMove);
            document.removeEventListener('pointerup', onUp);
            document.removeEventListener('pointercancel', end);
            document.removeEventListener('keydown', onKey);
        }
    };
}
