using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Clients;

namespace PortalApp.Infrastructure;

/// <summary>A believable clinic for trying PortalApp out. Idempotent: each part is added only when missing.</summary>
public static class DemoSeeder
{
    public const string DemoPassword = "Maple-Grove-Demo-2026";

    public static readonly (string Email, string Name, string Role)[] StaffAccounts =
    [
        ("admin@demo.clinic", "Alex Admin", StaffRoles.Admin),
        ("frontdesk@demo.clinic", "Fran Desk", StaffRoles.FrontDesk),
        ("practitioner@demo.clinic", "Dr. Amara Okafor", StaffRoles.Practitioner),
    ];

    private static readonly (string Name, int Minutes, bool Video)[] AppointmentTypes =
    [
        ("Initial assessment", 60, false), ("Follow-up", 30, false), ("Annual physical", 45, false),
        ("Massage therapy", 60, false), ("Vaccination", 15, false), ("Video follow-up", 30, true),
    ];

    private static readonly string[] FirstNames =
    [
        "Emma", "Liam", "Olivia", "Noah", "Ava", "William", "Sophia", "James", "Isabella", "Benjamin",
        "Mia", "Lucas", "Charlotte", "Henry", "Amelia", "Alexander", "Harper", "Daniel", "Evelyn", "Matthew",
        "Abigail", "Jackson", "Emily", "Sebastian", "Ella", "Jack", "Aria", "Owen", "Scarlett", "Samuel",
        "Grace", "Ethan", "Chloe", "Leo", "Zoe", "Mateo", "Nora", "Levi", "Lily", "Isaac",
    ];

    private static readonly string[] LastNames =
    [
        "Smith", "Tremblay", "Martin", "Roy", "Gagnon", "Lee", "Wilson", "Johnson", "MacDonald", "Taylor",
        "Campbell", "Anderson", "Brown", "Chen", "Singh", "Nguyen", "Patel", "Okafor", "Kowalski", "Rossi",
    ];

    public static async Task SeedAsync(IServiceProvider services, TimeProvider time, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<PortalDbContext>();
        var users = sp.GetRequiredService<UserManager<PortalUser>>();
        var now = time.GetUtcNow().UtcDateTime;

        var settings = await db.ClinicSettings.SingleAsync(ct);
        if (settings.Name is "" or "Our clinic")
        {
            settings.Name = "Maple Grove Family Health";
            settings.Address = "120 Maple Grove Ave, Toronto ON M4E 1A1";
            settings.Phone = "(416) 555-0100";
            settings.TimeZone = "America/Toronto";
            // So every page can be tried with the demo sign-ins; a real installation requires two-factor for admins.
            settings.RequireTwoFactorFor = TwoFactorRequirement.Nobody;
        }

        var practitionerUserId = "";
        foreach (var (email, name, role) in StaffAccounts)
        {
            var user = await users.FindByEmailAsync(email);
            if (user is null)
            {
                user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = name, CreatedAtUtc = now };
                Check(await users.CreateAsync(user, DemoPassword));
                Check(await users.AddToRoleAsync(user, role));
            }
            if (role == StaffRoles.Practitioner)
                practitionerUserId = user.Id;
        }

        if (!await db.Practitioners.AnyAsync(ct))
        {
            db.Practitioners.AddRange(
                new Practitioner { DisplayName = "Dr. Amara Okafor", Credentials = "MD", Colour = "#1565C0", StaffUserId = practitionerUserId },
                new Practitioner { DisplayName = "Dr. Liam Chen", Credentials = "MD", Colour = "#2E7D32" },
                new Practitioner { DisplayName = "Priya Natarajan", Credentials = "RMT", Colour = "#6A1B9A" });
        }
        foreach (var (name, minutes, video) in AppointmentTypes)
        {
            if (!await db.AppointmentTypes.AnyAsync(t => t.Name == name, ct))
                db.AppointmentTypes.Add(new AppointmentType { Name = name, DefaultLengthMinutes = minutes, IsVideo = video });
        }
        await db.SaveChangesAsync(ct);

        if (!await db.MessageTemplates.AnyAsync(t => t.Name == "Brief invite", ct))
        {
            db.MessageTemplates.Add(new MessageTemplate
            {
                Kind = TemplateKind.PortalInvite,
                Name = "Brief invite",
                Subject = "Your {{ clinic.name }} portal account",
                Body = "Hi {{ patient.preferred_name }}, [set up your portal account]({{ invite_link }}) by {{ invite_expires_on }}. Questions? {{ clinic.phone }}",
                CreatedAtUtc = now,
                UpdatedAtUtc = now,
            });
            await db.SaveChangesAsync(ct);
        }

        if (await db.Clients.AnyAsync(ct))
            return;

        var zone = TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, zone));
        var random = new Random(2026);
        var clients = Enumerable.Range(0, 40).Select(i => NewClient(i, today, now, random)).ToList();
        db.Clients.AddRange(clients);
        await db.SaveChangesAsync(ct);

        var practitioners = await db.Practitioners.OrderBy(p => p.Id).ToListAsync(ct);
        var types = await db.AppointmentTypes.OrderBy(t => t.Id).ToListAsync(ct);
        db.Appointments.AddRange(NewAppointments(clients, practitioners, types, today, zone, now, random));
        await db.SaveChangesAsync(ct);
    }

    private static Client NewClient(int i, DateOnly today, DateTime now, Random random)
    {
        var first = FirstNames[i];
        var last = LastNames[i % LastNames.Length];
        // Every 5th a minor, the rest adults from 19 to 90.
        var age = i % 5 == 0 ? random.Next(2, 17) : random.Next(19, 90);
        var phone = $"+1416555{1000 + i * 7:0000}";
        return new Client
        {
            FirstName = first,
            LastName = last,
            PreferredName = i % 9 == 4 ? first[..3] : null,
            DateOfBirth = today.AddYears(-age).AddDays(-random.Next(0, 364)),
            // A few without email: they cannot be invited until staff add one.
            Email = i % 11 == 3 ? null : $"{first}.{last}@example.com".ToLowerInvariant(),
            MobilePhone = i % 7 == 6 ? null : phone,
            MobilePhoneDigits = i % 7 == 6 ? null : PhoneNumberRules.Digits(phone),
            PreferredLanguage = LastNames[i % LastNames.Length] is "Tremblay" or "Roy" or "Gagnon" ? ClientLanguage.French : ClientLanguage.English,
            // Three ended in the past, one ends next month.
            EndDate = i switch { 7 => today.AddMonths(-2), 18 => today.AddDays(-10), 29 => today.AddYears(-1), 33 => today.AddMonths(1), _ => null },
            CreatedAtUtc = now,
            UpdatedAtUtc = now,
        };
    }

    private static IEnumerable<Appointment> NewAppointments(
        List<Client> clients, List<Practitioner> practitioners, List<AppointmentType> types, DateOnly today, TimeZoneInfo zone, DateTime now, Random random)
    {
        string[] rooms = ["Room 1", "Room 2", "Room 3"];
        // One practitioner is never booked twice at once, as the Schedule itself would refuse.
        var taken = new HashSet<(int, DateTime)>();
        var active = clients.Where(c => !c.IsEndedOn(today)).ToList();
        for (var n = 0; n < 80; n++)
        {
            var client = active[random.Next(active.Count)];
            // The first client always has visits, so the README's walk-through finds one on her card.
            if (n % 20 == 0)
                client = active[0];
            var day = today.AddDays(random.Next(-30, 28));
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                day = day.AddDays(2);
            var localStart = day.ToDateTime(new TimeOnly(9 + random.Next(0, 8), random.Next(0, 2) * 30));
            var startUtc = TimeZoneInfo.ConvertTimeToUtc(localStart, zone);
            var practitioner = practitioners[n % practitioners.Count];
            var type = types[random.Next(types.Count)];
            if (!taken.Add((practitioner.Id, startUtc)))
                continue;
            yield return new Appointment
            {
                ClientId = client.Id,
                PractitionerId = practitioner.Id,
                AppointmentTypeId = type.Id,
                StartUtc = startUtc,
                // Half an hour each, so a taken start is the whole of a booking.
                EndUtc = startUtc.AddMinutes(30),
                Location = type.IsVideo ? "" : rooms[random.Next(rooms.Length)],
                IsVideo = type.IsVideo,
                Status = day < today ? (n % 13 == 0 ? AppointmentStatus.NoShow : AppointmentStatus.Completed) : AppointmentStatus.Booked,
                CreatedAtUtc = now,
                UpdatedAtUtc = now,
            };
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException("Demo seed failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
