using Microsoft.Extensions.DependencyInjection;
using PortalApp.Features.Clinic;

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// The browser fixture for appointment reminders, with every edge real: emails go over SMTP to an in-process server,
/// texts to the loopback Twilio (which posts signed webhooks back), and the app's own reminder pass runs every 5 s
/// (the shortest interval it accepts). The app's day starts on Wednesday 4 March 2026 at 10:00 in Toronto, the demo
/// clinic's zone, so reminders are outside the quiet hours whenever the test runs. The clinic's public address is this
/// server's, so the links in reminders open here and Twilio signs the addresses the app checks.
/// </summary>
public sealed class ReminderBrowserFixture : BrowserFixture
{
    public TimeProvider Clock { get; } = new ShiftedClock(new DateTimeOffset(2026, 3, 4, 15, 0, 0, TimeSpan.Zero));
    public SmtpTestServer Smtp { get; private set; } = null!;
    public LoopbackTwilio Twilio { get; private set; } = null!;

    private HttpClient? _webhooks;

    protected override async Task<PortalServer> StartServerAsync()
    {
        Smtp = await SmtpTestServer.StartNewAsync();
        Twilio = await LoopbackTwilio.StartAsync();
        var server = PortalServer.Start(app =>
        {
            app.WithClock(Clock)
                .With("Email:Transport", "Smtp")
                .With("Email:Smtp:Host", "127.0.0.1")
                .With("Email:Smtp:Port", Smtp.Port.ToString())
                .With("Email:Smtp:Security", "None")
                .With("Reminders:PollIntervalSeconds", "5");
            foreach (var (key, value) in Twilio.Settings)
                app.With(key, value);
        });
        // Before the first reminder pass, which waits one interval after start.
        var clinic = server.Services.GetRequiredService<ClinicSettingsService>();
        var edit = await clinic.GetForEditAsync();
        edit.PublicBaseUrl = server.BaseUrl;
        Assert.IsType<ClinicSettingsSaveResult.Saved>(await clinic.UpdateAsync(edit, Staff.Admin));
        _webhooks = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        Twilio.CallbacksTo(_webhooks, server.BaseUrl);
        return server;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _webhooks?.Dispose();
        if (Twilio is not null)
            await Twilio.DisposeAsync();
        if (Smtp is not null)
            await Smtp.DisposeAsync();
    }

    /// <summary>
    /// The real clock moved to another moment: time passes at its real pace and timers are the system's. Not a
    /// FakeTimeProvider that stands still: MudBlazor debounces typing with the app's TimeProvider, and on a clock that
    /// never moves the booking dialog's client search never runs.
    /// </summary>
    private sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
    {
        private readonly TimeSpan _offset = start - System.GetUtcNow();

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;
    }
}
