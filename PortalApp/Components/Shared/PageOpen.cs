using Microsoft.AspNetCore.Components;

namespace PortalApp.Components.Shared;

/// <summary>
/// Tells a page whether showing a record is a new open, to be recorded in the audit log, or the same open rendered
/// again. A page is prerendered and then rendered again when its circuit starts: the prerender hands the id it
/// recorded to the interactive render through the page's persisted state, so one open makes one audit row.
/// </summary>
public sealed class PageOpen : IDisposable
{
    private readonly PersistingComponentStateSubscription _persisting;
    private int? _recorded;

    public PageOpen(PersistentComponentState state, string key)
    {
        if (state.TryTakeFromJson<int?>(key, out var recorded))
            _recorded = recorded;
        _persisting = state.RegisterOnPersisting(() =>
        {
            state.PersistAsJson(key, _recorded);
            return Task.CompletedTask;
        });
    }

    /// <summary>True the first time <paramref name="id"/> is shown by this page; false when it is shown again.</summary>
    public bool IsNew(int id)
    {
        if (_recorded == id)
            return false;
        _recorded = id;
        return true;
    }

    public void Dispose() => _persisting.Dispose();
}
