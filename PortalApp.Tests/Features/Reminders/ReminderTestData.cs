using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Features.Reminders;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Reminders;

/// <summary>
/// What patients answer: appointments with the reminders that went out for them, written straight to the database as
/// the reminder dispatcher and the text dispatcher would leave them. Works over a service host or the whole app.
/// </summary>
public static class ReminderTestData
{
    /// <summary>Friday 6 March 2026, 09:00 in Toronto: two days after a service host's "now", outside the default 24-hour cutoff.</summary>
    public static readonly DateTime Friday9 = new(2026, 3, 6, 14, 0, 0, DateTimeKind.Utc);

    private static int _numbers;

    /// <summary>A mobile number no other test (nor the demo clinic) uses, as the app stores it (E.164).</summary>
    public static string NewMobile() => $"+1416555{2000 + Interlocked.Increment(ref _numbers):0000}";

    public static async Task<Client> AddClientAsync(Func<Task<PortalDbContext>> open, string first, string last, string? mobile,
        ClientLanguage language = ClientLanguage.English, DateOnly? endDate = null)
    {
        await using var db = await open();
        var client = db.Clients.Add(new Client
        {
            FirstName = first, LastName = last, DateOfBirth = new DateOnly(1980, 1, 2), MobilePhone = mobile,
            MobilePhoneDigits = mobile is null ? null : PhoneNumberRules.Digits(mobile), PreferredLanguage = language, EndDate = endDate,
            CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
        }).Entity;
        await db.SaveChangesAsync();
        return client;
    }

    public static async Task<Appointment> BookAsync(Func<Task<PortalDbContext>> open, int clientId, DateTime startUtc, string room = "Room 4")
    {
        await using var db = await open();
        var practitioner = await db.Practitioners.OrderBy(p => p.Id).FirstOrDefaultAsync()
            ?? db.Practitioners.Add(new Practitioner { DisplayName = "Dr. Chen", Colour = "#2E7D32" }).Entity;
        var type = await db.AppointmentTypes.OrderBy(t => t.Id).FirstOrDefaultAsync()
            ?? db.AppointmentTypes.Add(new AppointmentType { Name = "Follow-up", DefaultLengthMinutes = 30 }).Entity;
        var appointment = db.Appointments.Add(new Appointment
        {
            ClientId = clientId, Practitioner = practitioner, AppointmentType = type, StartUtc = startUtc, EndUtc = startUtc.AddMinutes(30),
            Location = room, Status = AppointmentStatus.Booked, CreatedAtUtc = startUtc.AddDays(-7), UpdatedAtUtc = startUtc.AddDays(-7),
        }).Entity;
        await db.SaveChangesAsync();
        return appointment;
    }

    /// <summary>The personal link a reminder would carry; returns its token.</summary>
    public static async Task<string> IssueLinkAsync(Func<Task<PortalDbContext>> open, Appointment appointment, DateTime nowUtc)
    {
        await using var db = await open();
        var token = ReminderLinks.Issue(db, appointment, nowUtc);
        await db.SaveChangesAsync();
        return token;
    }

    /// <summary>A reminder text or call that went out for the appointment, to <paramref name="recipient"/>.</summary>
    public static async Task<OutboundMessage> AddSentAsync(Func<Task<PortalDbContext>> open, Appointment appointment, MessageChannel channel, string recipient,
        DateTime sentAtUtc, ClientLanguage language = ClientLanguage.English, OutboundMessageStatus status = OutboundMessageStatus.Delivered,
        string body = "Reminder: your appointment with Dr. Chen on Friday 6 March at 9:00 AM, Room 4.")
    {
        await using var db = await open();
        var message = db.OutboundMessages.Add(new OutboundMessage
        {
            Channel = channel, Recipient = recipient, ClientId = appointment.ClientId, AppointmentId = appointment.Id, Language = language, Kind = "reminder",
            Body = body, Status = status, Attempts = 1, CreatedAtUtc = sentAtUtc, NextAttemptAtUtc = sentAtUtc, LastAttemptAtUtc = sentAtUtc,
            SentAtUtc = sentAtUtc, ProviderMessageId = (channel == MessageChannel.Voice ? "CA" : "SM") + Guid.NewGuid().ToString("N"),
        }).Entity;
        await db.SaveChangesAsync();
        return message;
    }

    public static async Task SetRemindersAsync(Func<Task<PortalDbContext>> open, Action<ReminderSettings> change)
    {
        await using var db = await open();
        change(await db.ReminderSettings.SingleAsync());
        await db.SaveChangesAsync();
    }

    /// <summary>Through the settings page's own service, so its cache learns the number.</summary>
    public static async Task SetClinicPhoneAsync(this ServiceTestHost host, string phone)
    {
        var clinic = host.Get<ClinicSettingsService>();
        var edit = await clinic.GetForEditAsync();
        edit.Phone = phone;
        Assert.IsType<ClinicSettingsSaveResult.Saved>(await clinic.UpdateAsync(edit, Staff.Admin));
    }
}
