using PortalApp.Data;
using PortalApp.Features.Schedule;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Schedule;

/// <summary>Practitioners, types and booking forms for the Schedule's tests. The host's clinic is in America/Toronto.</summary>
public static class ScheduleTestData
{
    public static async Task<Practitioner> AddPractitionerAsync(this ServiceTestHost host, string name = "Dr. Chen", bool active = true, string? staffUserId = null)
    {
        await using var db = await host.DbAsync();
        var practitioner = db.Practitioners.Add(new Practitioner { DisplayName = name, IsActive = active, Colour = "#2E7D32", StaffUserId = staffUserId }).Entity;
        await db.SaveChangesAsync();
        return practitioner;
    }

    public static async Task<AppointmentType> AddTypeAsync(this ServiceTestHost host, string name = "Follow-up", int minutes = 30, bool video = false, bool active = true)
    {
        await using var db = await host.DbAsync();
        var type = db.AppointmentTypes.Add(new AppointmentType { Name = name, DefaultLengthMinutes = minutes, IsVideo = video, IsActive = active }).Entity;
        await db.SaveChangesAsync();
        return type;
    }

    public static BookingForm Form(int clientId, int practitionerId, int typeId, DateOnly day, string time, int minutes = 30) => new()
    {
        ClientId = clientId, PractitionerId = practitionerId, AppointmentTypeId = typeId, Date = day.ToDateTime(TimeOnly.MinValue),
        StartTime = TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture).ToTimeSpan(), LengthMinutes = minutes, Location = "Room 2",
    };

    public static int Booked(this ScheduleResult result) => Assert.IsType<ScheduleResult.Done>(result).AppointmentId;

    public static string Refusal(this ScheduleResult result) => Assert.IsType<ScheduleResult.Refused>(result).Message;
}
