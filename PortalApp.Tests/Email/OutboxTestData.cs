using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Email;

/// <summary>Puts emails in the outbox the way features do, and reads rows back as the database has them.</summary>
internal static class OutboxTestData
{
    public const string Link = "https://portal.clinic.example/invite?token=abc123&amp;step=1";

    public static Dictionary<string, string?> SmtpSettings(int port) => new()
    {
        ["Email:Transport"] = "Smtp",
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = port.ToString(),
        ["Email:Smtp:Security"] = "None",
        // The app's default. With two test passes and Chromium on two cores, a 5 s wait for the server's greeting was
        // seen to run out, and the batch then (rightly) waited for a working server. Tests of the timeout set their own.
        ["Email:Smtp:TimeoutSeconds"] = "30",
    };

    public static async Task<long> EnqueueAsync(this ServiceTestHost host, string to = "emma.smith@example.com",
        string subject = "Your patient portal invitation", Action<OutboxEmail>? adjust = null)
    {
        await using var db = await host.DbAsync();
        var row = host.Get<EmailOutbox>().Enqueue(db, new OutgoingEmail(
            ToAddress: to,
            ToName: "Emma Smith",
            Subject: subject,
            HtmlBody: $"<p>Hello Emma,</p><p><a href=\"{Link}\">Open your portal</a></p>",
            TextBody: "Hello Emma,\n\nOpen your portal.",
            Kind: "invite"));
        adjust?.Invoke(row);
        await db.SaveChangesAsync();
        return row.Id;
    }

    public static async Task<OutboxEmail> OutboxRowAsync(this ServiceTestHost host, long id)
    {
        await using var db = await host.DbAsync();
        return await db.OutboxEmails.AsNoTracking().SingleAsync(o => o.Id == id);
    }

    public static Task<int> DispatchAsync(this ServiceTestHost host) =>
        host.Get<OutboxDispatcher>().DispatchDueAsync(TestContext.Current.CancellationToken);

    public static DateTime UtcNow(this ServiceTestHost host) => host.Time.GetUtcNow().UtcDateTime;

    /// <summary>Moves the fake clock to <paramref name="offset"/> from the row's next attempt time.</summary>
    public static async Task AdvanceToNextAttemptAsync(this ServiceTestHost host, long id, TimeSpan offset = default)
    {
        var row = await host.OutboxRowAsync(id);
        host.Time.Advance(row.NextAttemptAtUtc - host.UtcNow() + offset);
    }
}
