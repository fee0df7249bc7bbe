using Microsoft.AspNetCore.Components;
using PortalApp.Email;

namespace PortalApp.Components.Shared;

/// <summary>
/// A client card tab that shows the state of emails queued for this client (invites, caregiver invites) and reloads
/// itself when the outbox dispatcher reports a change for the client.
/// </summary>
public abstract class ClientEmailTabBase : ComponentBase, IDisposable
{
    [Parameter, EditorRequired] public int ClientId { get; set; }

    [Inject] private OutboxEvents OutboxEvents { get; set; } = null!;
    [Inject] private ILoggerFactory LoggerFactory { get; set; } = null!;

    protected abstract Task ReloadAsync();

    protected override void OnInitialized() => OutboxEvents.Changed += OnEmailChanged;

    public void Dispose()
    {
        OutboxEvents.Changed -= OnEmailChanged;
        GC.SuppressFinalize(this);
    }

    // Raised on the dispatcher's thread: hop onto this circuit before touching state.
    private void OnEmailChanged(OutboxEmailChanged change)
    {
        if (change.ClientId != ClientId)
            return;
        _ = InvokeAsync(async () =>
        {
            try
            {
                await ReloadAsync();
                StateHasChanged();
            }
            catch (Exception ex)
            {
                LoggerFactory.CreateLogger(GetType()).LogWarning("Could not refresh the tab for client {ClientId} ({ErrorType})", ClientId, ex.GetType().Name);
            }
        });
    }
}
