using System.Diagnostics;
using System.Text;
using PortalApp.Infrastructure;

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// The app's own process serving requests (<see cref="AppProcess.StartServerAsync"/>): killed as a crash or a power cut
/// would (SIGKILL: nothing of it runs afterwards, no shutdown code, no flush), or stopped as systemd stops a service
/// (SIGTERM). Its output is kept for failure messages.
/// </summary>
public sealed class RunningApp : IAsyncDisposable
{
    private const string ListeningLine = "PortalApp is running at ";

    private readonly Process _process;
    private readonly Lock _lock = new();
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RunningApp(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Standard output and error so far.</summary>
    public string Output
    {
        get { lock (_lock) return _output.ToString(); }
    }

    internal static async Task<RunningApp> StartAsync(ProcessStartInfo start)
    {
        var app = new RunningApp(new Process { StartInfo = start });
        app._process.OutputDataReceived += (_, e) => app.Add(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.Add(e.Data);
        app._process.Start();
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        try
        {
            // Only a guard against a hang: starting on a busy two-core machine has taken over a minute.
            var exited = app._process.WaitForExitAsync();
            if (await Task.WhenAny(app._listening.Task, exited).WaitAsync(TimeSpan.FromMinutes(3)) == exited)
                throw new InvalidOperationException($"The app exited ({app._process.ExitCode}) instead of starting. Output:\n{app.Output}");
            app.BaseAddress = await app._listening.Task;
            using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromMinutes(1) };
            using var health = await http.GetAsync(HealthEndpoint.Path);
            if (!health.IsSuccessStatusCode)
                throw new InvalidOperationException($"The app started but {HealthEndpoint.Path} answered {(int)health.StatusCode}: {await health.Content.ReadAsStringAsync()}\nOutput:\n{app.Output}");
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private void Add(string? line)
    {
        if (line is null)
            return;
        lock (_lock)
            _output.AppendLine(line);
        if (line.StartsWith(ListeningLine, StringComparison.Ordinal))
            _listening.TrySetResult(new Uri(line[ListeningLine.Length..].Trim()));
    }

    /// <summary>SIGKILL to the process and anything it started; returns once it is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as <c>systemctl stop</c> sends it: the app finishes what it is doing and exits.</summary>
    /// <returns>Its exit code.</returns>
    public async Task<int> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The app did not stop within a minute of SIGTERM. Output:\n{Output}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            await KillAsync();
        _process.Dispose();
    }
}
