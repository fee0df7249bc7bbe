using System.Diagnostics;

namespace PortalApp.Tests.TestSupport;

/// <summary>The app's own process, started as an IT person would: <c>dotnet PortalApp.dll [args]</c>, settings in the environment.</summary>
public static class AppProcess
{
    private static string AppFolder => Path.GetDirectoryName(typeof(Program).Assembly.Location)!;

    /// <returns>The exit code, and standard output and error together.</returns>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, string? stdin, params string[] args)
    {
        var start = StartInfo(environment, args);
        start.RedirectStandardInput = true;
        using var process = Process.Start(start)!;
        if (stdin is not null)
            await process.StandardInput.WriteLineAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        // Only a guard against a hang: a start that migrates a new database took over a minute on two busy cores.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The app did not exit within 3 minutes. Output so far: {await output}{await error}");
        }
        return (process.ExitCode, await output + await error);
    }

    /// <summary>
    /// Starts the app as a server (give it <c>ASPNETCORE_URLS=http://127.0.0.1:0</c>: the OS picks its port) and returns
    /// once it listens and its /healthz answers 200.
    /// </summary>
    public static Task<RunningApp> StartServerAsync(IReadOnlyDictionary<string, string> environment) =>
        RunningApp.StartAsync(StartInfo(environment, []));

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppFolder, "PortalApp.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        return start;
    }
}
