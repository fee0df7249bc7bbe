using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Channels;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Channels;

/// <summary>Puts texts and calls in the outbox the way features do (OutboundMessages), and reads rows back.</summary>
internal static class TextTestData
{
    public const string Patient = "+14165550123";
    public const string ReminderWithLink = "Reminder: Dr. Test, Thu 5 Mar 10:00, Room 1. Confirm or cancel: https://portal.clinic.example/appointment/" + OutboxEmail.SecretMarker;

    public static async Task<long> EnqueueTextAsync(this ServiceTestHost host, string to = Patient, string body = "Reminder: Dr. Test, Thu 5 Mar 10:00, Room 1.",
        MessageChannel channel = MessageChannel.Sms, string? secret = null, int? clientId = null)
    {
        await using var db = await host.DbAsync();
        var row = host.Get<OutboundMessages>().EnqueueText(db,
            new OutgoingText(channel, to, body, "reminder", ClientLanguage.English, ClientId: clientId, RecipientName: "Emma Smith", Secret: secret));
        await db.SaveChangesAsync();
        return row.Id;
    }

    public static async Task<OutboundMessage> MessageAsync(this ServiceTestHost host, long id)
    {
        await using var db = await host.DbAsync();
        return await db.OutboundMessages.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    public static Task<int> RunTextsAsync(this ServiceTestHost host, CancellationToken? ct = null) =>
        host.Get<TextDispatcher>().RunOnceAsync(ct ?? TestContext.Current.CancellationToken);

    /// <summary>Moves the fake clock to the row's next attempt.</summary>
    public static async Task AdvanceToNextTextAttemptAsync(this ServiceTestHost host, long id)
    {
        var row = await host.MessageAsync(id);
        var wait = row.NextAttemptAtUtc - host.Time.GetUtcNow().UtcDateTime;
        if (wait > TimeSpan.Zero)
            host.Time.Advance(wait);
    }

    /// <summary>Changes the row as another writer would (e.g. a cancelled appointment withdrawing its reminder).</summary>
    public static async Task WithdrawAsync(this ServiceTestHost host, long id)
    {
        await using var db = await host.DbAsync();
        var row = await db.OutboundMessages.SingleAsync(m => m.Id == id);
        row.Status = OutboundMessageStatus.Withdrawn;
        row.StatusDetail = "The appointment was cancelled.";
        await db.SaveChangesAsync();
    }
}
