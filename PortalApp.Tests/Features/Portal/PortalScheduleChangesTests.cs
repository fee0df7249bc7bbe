using Microsoft.Extensions.DependencyInjection;
using PortalApp.Components.Shared;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Features.Schedule;
using PortalApp.Tests.Features.Schedule;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Portal;

/// <summary>What the front desk does on the Schedule reaches the patient's portal on its next load.</summary>
public sealed class PortalScheduleChangesTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    [Fact]
    public async Task New_moved_cancelled_and_video_appointments_show_on_the_next_load()
    {
        var (clientId, email) = await PortalForms.RegisteredPatientAsync(app.Factory);
        var patient = StaffClient.Anonymous(app.Factory);
        await PortalForms.PatientSignInAsync(patient, email, PortalForms.PatientPassword);
        int practitionerId, inPersonId, videoId;
        await using (var db = await app.Factory.DbAsync())
        {
            var practitioner = db.Practitioners.Add(new Practitioner { DisplayName = "Dr. Portal Test" }).Entity;
            var inPerson = db.AppointmentTypes.Add(new AppointmentType { Name = "Portal check-up", DefaultLengthMinutes = 30 }).Entity;
            var video = db.AppointmentTypes.Add(new AppointmentType { Name = "Portal video call", DefaultLengthMinutes = 20, IsVideo = true }).Entity;
            await db.SaveChangesAsync();
            (practitionerId, inPersonId, videoId) = (practitioner.Id, inPerson.Id, video.Id);
        }
        using var scope = app.Factory.Services.CreateScope();
        var booking = scope.ServiceProvider.GetRequiredService<BookingService>();
        var statuses = scope.ServiceProvider.GetRequiredService<AppointmentStatusService>();
        var zone = (await scope.ServiceProvider.GetRequiredService<ClinicSettingsService>().GetAsync()).TimeZone;
        var day = (await scope.ServiceProvider.GetRequiredService<ClinicClock>().TodayAsync()).AddDays(20);
        var moving = (await booking.BookAsync(ScheduleTestData.Form(clientId, practitionerId, inPersonId, day, "09:00"), Staff.FrontDesk)).Booked();
        var cancelling = (await booking.BookAsync(ScheduleTestData.Form(clientId, practitionerId, inPersonId, day, "11:00"), Staff.FrontDesk)).Booked();
        var videoForm = ScheduleTestData.Form(clientId, practitionerId, videoId, day, "14:00", 20);
        videoForm.IsVideo = true;
        (await booking.BookAsync(videoForm, Staff.FrontDesk)).Booked();

        var before = await PortalForms.TextAsync(await patient.GetAsync("/portal"));
        Assert.Contains("Portal check-up with Dr. Portal Test", before);
        Assert.Contains("Video visit", before);

        var moved = ScheduleTestData.Form(clientId, practitionerId, inPersonId, day.AddDays(1), "10:30");
        (moved.AppointmentId, moved.Version) = (moving, 0);
        Assert.IsType<ScheduleResult.Done>(await booking.ChangeAsync(moved, Staff.FrontDesk));
        Assert.IsType<ScheduleResult.Done>(await statuses.CancelAsync(cancelling, 0, "Practitioner away", Staff.FrontDesk));

        var after = await PortalForms.TextAsync(await patient.GetAsync("/portal"));
        string At(DateOnly d, int hour, int minute) =>
            Dates.FormatClinicTime(((ClinicTime.Conversion.Ok)ClinicTime.ToUtc(d.ToDateTime(new TimeOnly(hour, minute)), zone)).Utc, zone);
        Assert.Contains(At(day.AddDays(1), 10, 30), after);
        Assert.DoesNotContain($"<strong>{At(day, 9, 0)}</strong>", after);
        Assert.Contains($"<strong>Cancelled:</strong> <s>{At(day, 11, 0)}</s>", after);
        Assert.Contains("This appointment was cancelled. To book another, call", after);
        Assert.DoesNotContain("Practitioner away", after); // the reason is for staff
    }
}
