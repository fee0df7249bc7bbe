using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Import;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Import;

/// <summary>The clinic is in Toronto: on Tuesday 10 March 2026 (after the DST change of the 8th) 09:00 is 13:00 UTC.</summary>
[Trait("Providers", "Both")]
public sealed class AppointmentImportTests : IAsyncLifetime
{
    private const string Header = "Appointment ID,Client ID,Practitioner,Type,Start,Length (minutes),Status";
    private ServiceTestHost _host = null!;
    private Client _emma = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await ServiceTestHost.StartAsync();
        _emma = await _host.AddClientAsync("Emma", "Smith", new DateOnly(1984, 3, 7));
        await using var db = await _host.DbAsync();
        (await db.Clients.SingleAsync(c => c.Id == _emma.Id)).ExternalId = "C-1";
        db.Practitioners.Add(new Practitioner { DisplayName = "Dr. Amara Okafor" });
        db.Practitioners.Add(new Practitioner { DisplayName = "Sam Lee" });
        db.AppointmentTypes.Add(new AppointmentType { Name = "Follow-up", DefaultLengthMinutes = 30 });
        db.AppointmentTypes.Add(new AppointmentType { Name = "Video visit", DefaultLengthMinutes = 20, IsVideo = true });
        await db.SaveChangesAsync();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static ImportRequest File(string rows, bool validRowsOnly = false, string header = Header) =>
        ClinicCsv.Request(ImportKind.Appointments, ClinicCsv.Read(header + "\n" + rows + "\n"), validRowsOnly: validRowsOnly);

    [Fact]
    public async Task Appointments_are_booked_in_the_clinic_zone_for_the_client_found_by_id_or_by_name()
    {
        var request = ClinicCsv.Request(ImportKind.Appointments, ClinicCsv.Read(Header + ",First name,Last name,DOB\n" +
            "A-1,C-1,Dr. Amara Okafor,Follow-up,2026-03-10 09:00,,,,,\n" +
            "A-2,,sam lee,video visit,2026-03-10 09:00,45,Completed,Emma,Smith,1984-03-07\n"));

        var job = await Imports.RunAsync(_host, request);

        Assert.Equal((ImportJobStatus.Succeeded, 2), (job.Status, job.Created));
        await using var db = await _host.DbAsync();
        var rows = await db.Appointments.Include(a => a.Practitioner).Include(a => a.Changes).OrderBy(a => a.ExternalId).ToListAsync();
        Assert.All(rows, a => Assert.Equal(_emma.Id, a.ClientId));
        Assert.Equal(new DateTime(2026, 3, 10, 13, 0, 0), rows[0].StartUtc);
        Assert.Equal(new DateTime(2026, 3, 10, 13, 30, 0), rows[0].EndUtc);
        Assert.Equal(("Sam Lee", true, "", AppointmentStatus.Completed), (rows[1].Practitioner.DisplayName, rows[1].IsVideo, rows[1].Location, rows[1].Status));
        Assert.Equal(TimeSpan.FromMinutes(45), rows[1].EndUtc - rows[1].StartUtc);
        Assert.Equal(AppointmentChangeKind.Imported, Assert.Single(rows[0].Changes).Kind);
    }

    [Theory]
    [InlineData("A-1,C-9,Dr. Amara Okafor,Follow-up,2026-03-10 09:00,,", "No client has Client ID C-9: import the clients first.")]
    [InlineData("A-1,C-1,Dr. Who,Follow-up,2026-03-10 09:00,,", "No practitioner is called \"Dr. Who\". Add the practitioner first, or correct the name.")]
    [InlineData("A-1,C-1,Dr. Amara Okafor,Massage,2026-03-10 09:00,,", "No appointment type is called \"Massage\". Add the type first, or correct the name.")]
    [InlineData("A-1,C-1,Dr. Amara Okafor,Follow-up,10/03/2026 09:00,,", "The start \"10/03/2026 09:00\" is not a date written Year-month-day (2020-12-31) followed by a time such as 09:30.")]
    [InlineData("A-1,C-1,Dr. Amara Okafor,Follow-up,,,", "Enter the start date and time.")]
    [InlineData("A-1,C-1,Dr. Amara Okafor,Follow-up,2026-03-08 02:30,,", "02:30 on Sun 8 Mar 2026 does not exist in the clinic's time zone")]
    [InlineData("A-1,C-1,Dr. Amara Okafor,Follow-up,2026-03-10 09:00,2,", "An appointment lasts 5 to 480 minutes; this one lasts 2.")]
    [InlineData("A-1,C-1,Dr. Amara Okafor,Follow-up,2026-03-10 09:00,600,", "An appointment lasts 5 to 480 minutes; this one lasts 600.")]
    [InlineData("A-1,C-1,Dr. Amara Okafor,Follow-up,2026-03-10 09:00,abc,", "The length \"abc\" is not a number of minutes.")]
    [InlineData("A-1,C-1,Dr. Amara Okafor,Follow-up,2026-03-10 09:00,,Maybe", "The status \"Maybe\" is not one of Booked, Arrived, Completed, Cancelled, No show.")]
    [InlineData("A-1,,Dr. Amara Okafor,Follow-up,2026-03-10 09:00,,", "Give the Client ID, or the client's first name, last name and date of birth.")]
    public async Task Each_refused_appointment_says_its_line_and_why(string row, string reason)
    {
        var preview = await Imports.PreviewAsync(_host, File(row));

        var refused = Assert.Single(preview.RefusedRows);
        Assert.Equal(2, refused.Line);
        Assert.StartsWith(reason, refused.Reason);
    }

    [Fact]
    public async Task Double_bookings_are_refused_within_the_file_and_against_the_schedule_but_cancelled_rows_never_clash()
    {
        await _host.AddAppointmentAsync(_emma.Id, new DateTime(2026, 3, 10, 15, 0, 0), practitioner: "Sam Lee");
        var request = File(
            "A-1,C-1,Dr. Amara Okafor,Follow-up,2026-03-10 09:00,,\n" +
            "A-2,C-1,Dr. Amara Okafor,Follow-up,2026-03-10 09:15,,\n" +
            "A-3,C-1,Dr. Amara Okafor,Follow-up,2026-03-10 09:15,,Cancelled\n" +
            "A-4,C-1,Dr. Amara Okafor,Follow-up,2026-03-10 09:30,,\n" +
            "A-5,C-1,Sam Lee,Follow-up,2026-03-10 11:10,,\n" +
            "A-1,C-1,Sam Lee,Follow-up,2026-03-11 09:00,,");

        var preview = await Imports.PreviewAsync(_host, request);

        Assert.Equal(
            [
                new RefusedRow(3, "This double-books Dr. Amara Okafor: the appointment on line 2 overlaps it."),
                new RefusedRow(6, "This double-books Sam Lee: they already have an appointment at that time."),
                new RefusedRow(7, "Appointment ID A-1 is also on line 2: each appointment can be in the file once."),
            ],
            preview.RefusedRows);
        Assert.Equal(3, preview.Created);
    }

    [Fact]
    public async Task A_clinic_that_allows_overlaps_gets_them()
    {
        await using (var db = await _host.DbAsync())
        {
            (await db.ClinicSettings.SingleAsync()).AllowOverlappingAppointments = true;
            await db.SaveChangesAsync();
        }

        var preview = await Imports.PreviewAsync(_host, File("A-1,C-1,Sam Lee,Follow-up,2026-03-10 09:00,,\nA-2,C-1,Sam Lee,Follow-up,2026-03-10 09:15,,"));

        Assert.Equal((2, 0), (preview.Created, preview.Refused));
    }

    [Fact]
    public async Task Importing_the_same_appointments_again_changes_nothing_with_or_without_ids()
    {
        var withIds = File("A-1,C-1,Dr. Amara Okafor,Follow-up,2026-03-10 09:00,,\nA-2,C-1,Sam Lee,Follow-up,2026-03-10 09:00,,");
        var withoutIds = File(",C-1,Dr. Amara Okafor,Follow-up,2026-03-12 09:00,,");
        await Imports.RunAsync(_host, withIds);
        await Imports.RunAsync(_host, withoutIds);

        var again = await Imports.RunAsync(_host, withIds);
        var againWithout = await Imports.RunAsync(_host, withoutIds);

        Assert.Equal((0, 0, 2), (again.Created, again.Updated, again.Unchanged));
        Assert.Equal((0, 0, 1), (againWithout.Created, againWithout.Updated, againWithout.Unchanged));
        var moved = await Imports.RunAsync(_host, File("A-1,C-1,Dr. Amara Okafor,Follow-up,2026-03-10 10:00,,"));
        Assert.Equal((0, 1), (moved.Created, moved.Updated));
        await using var db = await _host.DbAsync();
        Assert.Equal(3, await db.Appointments.CountAsync());
        Assert.Equal(new DateTime(2026, 3, 10, 14, 0, 0), (await db.Appointments.SingleAsync(a => a.ExternalId == "A-1")).StartUtc);
    }
}
