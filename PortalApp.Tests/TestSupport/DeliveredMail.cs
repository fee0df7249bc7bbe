using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Email;

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// Runs an action that emails a client, waits until the running app's dispatcher reports sent every email that the
/// action queued for that client (an earlier email to the same client, sent meanwhile, does not count), and returns
/// the matches of a pattern in the delivered emails (pickup mailbox), newest first.
/// </summary>
public static class DeliveredMail
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static async Task<IReadOnlyList<string>> AfterAsync(IServiceProvider services, int clientId, Func<Task> action, string pattern)
    {
        var sent = new ConcurrentDictionary<long, bool>();
        using var changed = new SemaphoreSlim(0);
        void OnChanged(OutboxEmailChanged change)
        {
            if (change.ClientId == clientId && change.Status == OutboxStatus.Sent)
            {
                sent[change.OutboxEmailId] = true;
                changed.Release();
            }
        }
        var events = services.GetRequiredService<OutboxEvents>();
        var dbFactory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        events.Changed += OnChanged;
        try
        {
            long before;
            await using (var db = await dbFactory.CreateDbContextAsync())
                before = await db.OutboxEmails.MaxAsync(e => (long?)e.Id) ?? 0;
            await action();
            List<long> queued;
            await using (var db = await dbFactory.CreateDbContextAsync())
                queued = await db.OutboxEmails.Where(e => e.Id > before && e.ClientId == clientId).Select(e => e.Id).ToListAsync();
            Assert.NotEmpty(queued);
            // Each wake-up is a reported send; the wait ends when the action's own emails are all among them.
            while (!queued.All(sent.ContainsKey))
                if (!await changed.WaitAsync(Wait))
                    throw new TimeoutException($"The dispatcher did not report emails {string.Join(", ", queued)} sent within {Wait.TotalSeconds} s.");
        }
        finally
        {
            events.Changed -= OnChanged;
        }
        var mailbox = services.GetRequiredService<DevMailbox>();
        var found = new List<string>();
        foreach (var item in await mailbox.ListAsync(500))
        {
            var text = (await mailbox.ReadAsync(item.FileName))?.Text ?? "";
            found.AddRange(Regex.Matches(text, pattern).Select(m => m.Groups.Count > 1 ? m.Groups[1].Value : m.Value));
        }
        return found;
    }

    /// <summary>
    /// The plain-text part of the newest email of <paramref name="kind"/> to <paramref name="address"/>, once the running
    /// app's dispatcher has written it to the pickup folder (for emails that belong to no client: staff links).
    /// </summary>
    public static async Task<string> PickupTextAsync(PortalAppFactory factory, string address, string kind)
    {
        var services = factory.Services;
        using var changed = new SemaphoreSlim(0);
        void OnChanged(OutboxEmailChanged _) => changed.Release();
        var events = services.GetRequiredService<OutboxEvents>();
        events.Changed += OnChanged;
        try
        {
            while (true)
            {
                await using (var db = await factory.DbAsync())
                {
                    var email = await db.OutboxEmails.AsNoTracking().Where(e => e.ToAddress == address && e.Kind == kind)
                        .OrderByDescending(e => e.Id).FirstOrDefaultAsync();
                    if (email is { Status: OutboxStatus.Sent })
                        break;
                }
                if (!await changed.WaitAsync(Wait))
                    throw new TimeoutException($"No {kind} email to {address} was sent within {Wait.TotalSeconds} s.");
            }
        }
        finally
        {
            events.Changed -= OnChanged;
        }
        var mailbox = services.GetRequiredService<DevMailbox>();
        var item = (await mailbox.ListAsync(500)).First(i => i.To.Contains(address, StringComparison.OrdinalIgnoreCase));
        return (await mailbox.ReadAsync(item.FileName))?.Text ?? "";
    }
}
