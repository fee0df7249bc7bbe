using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Reminders;

/// <summary>Settings, rows and message texts for the reminder tests (the host's clinic is in America/Toronto).</summary>
public static class ReminderTesting
{
    public static async Task ReminderSettingsAsync(this ServiceTestHost host, Action<ReminderSettings> change)
    {
        await using var db = await host.DbAsync();
        change(await db.ReminderSettings.SingleAsync());
        await db.SaveChangesAsync();
    }

    public static async Task ClientAsync(this ServiceTestHost host, int clientId, Action<Client> change)
    {
        await using var db = await host.DbAsync();
        change(await db.Clients.SingleAsync(c => c.Id == clientId));
        await db.SaveChangesAsync();
    }

    public static async Task AppointmentAsync(this ServiceTestHost host, int appointmentId, Action<Appointment> change)
    {
        await using var db = await host.DbAsync();
        change(await db.Appointments.SingleAsync(a => a.Id == appointmentId));
        await db.SaveChangesAsync();
    }

    public static async Task<List<AppointmentReminder>> RemindersAsync(this ServiceTestHost host)
    {
        await using var db = await host.DbAsync();
        return await db.AppointmentReminders.AsNoTracking().OrderBy(r => r.AppointmentStartUtc).ThenBy(r => r.Slot).ThenBy(r => r.Id).ToListAsync();
    }

    public static async Task<List<OutboundMessage>> MessagesAsync(this ServiceTestHost host)
    {
        await using var db = await host.DbAsync();
        return await db.OutboundMessages.AsNoTracking().Include(m => m.OutboxEmail).OrderBy(m => m.Id).ToListAsync();
    }

    /// <summary>What the patient reads: the body with the personal link put in, as the outbox does at send time.</summary>
    public static string Delivered(this ServiceTestHost host, OutboundMessage message)
    {
        var secrets = host.Get<OutboxSecrets>();
        return message.OutboxEmail is { } email
            ? secrets.Reveal(email).Text
            : secrets.Reveal(new OutboxEmail { HtmlBody = "", TextBody = message.Body, ProtectedSecret = message.ProtectedSecret }).Text;
    }

    /// <summary>(channel, status, skip reason) of every reminder, in start and slot order: what staff see, in a form a test compares at once.</summary>
    public static async Task<List<(MessageChannel, ReminderStatus, string?)>> StatesAsync(this ServiceTestHost host) =>
        (await host.RemindersAsync()).Select(r => (r.Channel, r.Status, r.SkipReason)).ToList();
}
