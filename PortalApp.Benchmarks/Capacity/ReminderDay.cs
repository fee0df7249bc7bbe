using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Features.Clinic;

namespace PortalApp.Benchmarks.Capacity;

/// <summary>
/// A busy clinic day for the reminder figure: tomorrow (clinic time), 50 practitioners seeing a patient every 15
/// minutes from 08:00 to 18:00 in 25 rooms (one visit in ten by video), 2,000 booked appointments, each for a different
/// client with an email address and a mobile number (one in three reads French). Email and text reminders are on, both
/// two days before, with no quiet hours: every reminder of the day is due as the pass starts (planned late, so it goes
/// at once), whatever the time of day the benchmark runs at. Different clients, so no back-to-back run merges two
/// reminders: 2,000 emails and 2,000 texts, the most a 2,000-appointment day can ask for on two channels.
/// </summary>
public static class ReminderDay
{
    public const int Appointments = 2_000, Practitioners = 50, Rooms = 25, SlotMinutes = 15;
    public const string Schedule = "Email:2880;Sms:2880";
    private static readonly string[] Types = ["Follow-up", "Initial assessment", "Massage"];

    public static string Email(int i) => $"patient{i}@example.com";

    public static string Mobile(int i) => $"+1416555{i:0000}";

    /// <summary>Writes the day straight to the database (not timed); returns the day.</summary>
    public static async Task<DateOnly> SeedAsync(BenchmarkHost host)
    {
        var zone = (await host.Services.GetRequiredService<ClinicSettingsService>().GetAsync()).TimeZone;
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var day = DateOnly.FromDateTime(ClinicTime.ToWallClock(now, zone)).AddDays(1);
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var settings = await db.ReminderSettings.SingleAsync(s => s.Id == ReminderSettings.SingletonId);
        (settings.EmailOn, settings.SmsOn, settings.VoiceOn, settings.Schedule) = (true, true, false, Schedule);
        (settings.QuietStartMinute, settings.QuietEndMinute) = (0, 0); // none: the figure must not depend on the hour it runs at

        var practitioners = Enumerable.Range(1, Practitioners).Select(p => new Practitioner { DisplayName = $"Dr. Practitioner {p}" }).ToList();
        var types = Types.Select(t => new AppointmentType { Name = t, DefaultLengthMinutes = SlotMinutes }).ToList();
        var clients = Enumerable.Range(0, Appointments).Select(i => new Client
        {
            FirstName = $"Pat{i}", LastName = $"Ient{i % 300}", DateOfBirth = new DateOnly(1950, 1, 1).AddDays(i * 7), Email = Email(i),
            MobilePhone = Mobile(i), MobilePhoneDigits = PhoneNumberRules.Digits(Mobile(i)),
            PreferredLanguage = i % 3 == 0 ? ClientLanguage.French : ClientLanguage.English, CreatedAtUtc = now, UpdatedAtUtc = now,
        }).ToList();
        db.AddRange(practitioners);
        db.AddRange(types);
        db.AddRange(clients);
        db.Appointments.AddRange(clients.Select((client, i) =>
        {
            var (practitioner, slot) = (i % Practitioners, i / Practitioners);
            var wallClock = day.ToDateTime(new TimeOnly(8, 0)).AddMinutes(slot * SlotMinutes);
            var start = ((ClinicTime.Conversion.Ok)ClinicTime.ToUtc(wallClock, zone)).Utc;
            var video = i % 10 == 9;
            return new Appointment
            {
                Client = client, Practitioner = practitioners[practitioner], AppointmentType = types[i % types.Count], StartUtc = start,
                EndUtc = start.AddMinutes(SlotMinutes), IsVideo = video, Location = video ? "" : $"Room {practitioner % Rooms + 1}",
                Status = AppointmentStatus.Booked, CreatedAtUtc = now.AddDays(-14), UpdatedAtUtc = now.AddDays(-14),
            };
        }));
        await db.SaveChangesAsync();
        return day;
    }

    /// <summary>Every client was sent exactly one message at <paramref name="address"/>, and nobody else anything.</summary>
    public static void CheckEachOnce(string what, IReadOnlyDictionary<string, int> delivered, Func<int, string> address)
    {
        var expected = Enumerable.Range(0, Appointments).Select(address).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = expected.Count(a => !delivered.ContainsKey(a));
        var repeated = delivered.Count(d => d.Value > 1);
        var strangers = delivered.Keys.Count(a => !expected.Contains(a));
        if (missing + repeated + strangers > 0)
            throw new InvalidOperationException($"{what}: {missing} of {Appointments:N0} clients got none, {repeated} got more than one, {strangers} went to addresses not in the day.");
    }
}
