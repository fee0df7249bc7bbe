using Microsoft.AspNetCore.Components;

namespace PortalApp.Features.Portal;

/// <summary>
/// Every signed-in portal page: which account is signed in and which patient it is looking at, worked out from the
/// account's access on this request, never from the address or a form.
/// </summary>
public abstract class PortalPageBase : ComponentBase
{
    [CascadingParameter]
    protected HttpContext HttpContext { get; set; } = null!;

    [Inject]
    private PortalViewer Viewer { get; set; } = null!;

    protected PortalSession Session { get; private set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        // The cookie validator has already refused any account that may see nobody, so there is always a patient here.
        Session = await Viewer.CurrentAsync(HttpContext) ?? throw new InvalidOperationException("A portal page was reached without portal access.");
        await OnSessionReadyAsync();
    }

    protected virtual Task OnSessionReadyAsync() => Task.CompletedTask;
}
