using MudBlazor;

namespace PortalApp.Components.Layout;

/// <summary>Colours chosen for WCAG AA contrast (at least 4.5:1 for text) on white and on the app bar.</summary>
public static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1d4f91",
            Secondary = "#5b3f8c",
            AppbarBackground = "#1d4f91",
            Error = "#b3261e",
            Success = "#1e6b34",
            Warning = "#8a5300",
            Info = "#0b5c8a",
            TextSecondary = "#4a5563",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"] },
        },
    };
}
