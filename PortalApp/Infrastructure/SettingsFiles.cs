namespace PortalApp.Infrastructure;

/// <summary>
/// The settings files are read once, at start: a changed setting takes effect when the app is restarted (README,
/// Settings). ASP.NET Core's default watches them for changes by watching the whole content root, App_Data and its SQLite
/// database included, so every database write woke the watcher's thread: 3% of a bulk send's CPU (issue 14's benchmark).
/// </summary>
public static class SettingsFiles
{
    private const string ReadOnce = "--hostBuilder:reloadConfigOnChange=false";

    /// <summary>The app's arguments, to build the host with: first the setting that reads the files once, so an argument can still override it.</summary>
    public static string[] ReadOnceArgs(params string[] args) => [ReadOnce, .. args];
}
