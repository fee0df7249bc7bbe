using MudBlazor;

namespace PortalApp.Components.Shared;

public static class OutcomeSnackbar
{
    /// <summary>The success sentence when it happened, else the reason it was refused: staff always learn which.</summary>
    public static void Show(this ISnackbar snackbar, Outcome outcome, string done, Severity refused = Severity.Warning) =>
        snackbar.Add(outcome is Outcome.Refused { Reason: var reason } ? reason : done, outcome is Outcome.Done ? Severity.Success : refused);
}
