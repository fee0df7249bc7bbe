using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Features.Reminders;

/// <summary>
/// One reminder as staff see it on the client card and the appointment: its channel, when it went (or will), and what
/// became of it.
/// </summary>
/// <param name="Delivery">Sent reminders: the message's delivery status ("Queued", "Sent", "Delivered", "Failed", "Replied"…).</param>
/// <param name="Detail">Why it failed (the provider's or mail server's reason), or why it was skipped or withdrawn.</param>
public sealed record ReminderView(
    long Id, int AppointmentId, DateTime AppointmentStartUtc, MessageChannel Channel, ReminderStatus Status, DateTime SendAtUtc, DateTime? DoneAtUtc,
    string? Delivery, string? Detail)
{
    /// <summary>When it went, or when it will go.</summary>
    public DateTime WhenUtc => Status == ReminderStatus.Scheduled ? SendAtUtc : DoneAtUtc ?? SendAtUtc;

    public string StatusText => Status switch
    {
        ReminderStatus.Scheduled => "Planned",
        ReminderStatus.Sent => Delivery ?? "Sent",
        ReminderStatus.Skipped => "Skipped",
        _ => "Withdrawn",
    };
}

/// <summary>An appointment's reminders; <paramref name="CoveredByStartUtc"/> is set when an earlier back-to-back appointment carries them.</summary>
public sealed record AppointmentReminders(IReadOnlyList<ReminderView> Reminders, DateTime? CoveredByStartUtc);

/// <summary>What the staff views of reminders read.</summary>
public sealed class ReminderQueries(IDbContextFactory<PortalDbContext> dbFactory, ClinicSettingsService clinic)
{
    /// <summary>The most reminders a client card lists (newest first): years of visits stay a short list.</summary>
    public const int MaxListed = 100;

    public async Task<IReadOnlyList<ReminderView>> ForClientAsync(int clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ViewsAsync(db, db.AppointmentReminders.Where(r => r.ClientId == clientId), ct);
    }

    public async Task<AppointmentReminders> ForAppointmentAsync(int appointmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var own = await ViewsAsync(db, db.AppointmentReminders.Where(r => r.AppointmentId == appointmentId), ct);
        var appointment = await db.Appointments.AsNoTracking().Where(a => a.Id == appointmentId)
            .Select(a => new { a.Id, a.ClientId, a.StartUtc, a.Status }).SingleOrDefaultAsync(ct);
        if (appointment is null || appointment.Status != AppointmentStatus.Booked)
            return new AppointmentReminders(own, null);
        var run = await BackToBack.RunOfAsync(db, appointment.ClientId, appointment.Id, appointment.StartUtc, (await clinic.GetAsync(ct)).TimeZone, ct);
        return new AppointmentReminders(own, run[0].Id == appointmentId ? null : run[0].StartUtc);
    }

    private static async Task<IReadOnlyList<ReminderView>> ViewsAsync(PortalDbContext db, IQueryable<AppointmentReminder> reminders, CancellationToken ct)
    {
        var rows = await (from r in reminders
                          join m in db.OutboundMessages on r.OutboundMessageId equals m.Id into messages
                          from m in messages.DefaultIfEmpty()
                          orderby r.AppointmentStartUtc descending, r.SendAtUtc descending, r.Id descending
                          select new
                          {
                              r.Id, r.AppointmentId, r.AppointmentStartUtc, r.Channel, r.Status, r.SendAtUtc, r.DoneAtUtc, r.SkipReason,
                              Message = m == null ? null : new { m.Status, m.StatusDetail, Email = m.OutboxEmail == null ? null : new { m.OutboxEmail.Status, m.OutboxEmail.LastError } },
                          }).AsNoTracking().Take(MaxListed).ToListAsync(ct);
        return rows.Select(r =>
        {
            var (delivery, failure) = r.Message switch
            {
                null => ((string?)null, (string?)null),
                // An email's delivery is its outbox row's: that is what the mail server answered.
                { Email: { } email } => (email.Status switch { OutboxStatus.Pending => "Queued", OutboxStatus.Sent => "Sent", _ => "Failed" },
                    email.Status == OutboxStatus.Failed ? email.LastError : null),
                { } message => (DeliveryText(message.Status), message.Status is OutboundMessageStatus.Failed or OutboundMessageStatus.Uncertain ? message.StatusDetail : null),
            };
            return new ReminderView(r.Id, r.AppointmentId, r.AppointmentStartUtc, r.Channel, r.Status, r.SendAtUtc, r.DoneAtUtc, delivery,
                r.Status is ReminderStatus.Skipped or ReminderStatus.Withdrawn ? r.SkipReason : failure);
        }).ToList();
    }

    private static string DeliveryText(OutboundMessageStatus status) => status switch
    {
        OutboundMessageStatus.Uncertain => "Uncertain (may not have gone)",
        _ => status.ToString(),
    };
}
