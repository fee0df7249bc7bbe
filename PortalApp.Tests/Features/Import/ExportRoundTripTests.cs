using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Import;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Import;

[Trait("Providers", "Both")]
public sealed class ExportRoundTripTests
{
    private static async Task SeedPractitionersAsync(ServiceTestHost host)
    {
        await using var db = await host.DbAsync();
        db.Practitioners.AddRange(new Practitioner { DisplayName = "Dr. Amara Okafor" }, new Practitioner { DisplayName = "Sam Lee" });
        db.AppointmentTypes.AddRange(new AppointmentType { Name = "Follow-up" }, new AppointmentType { Name = "Video visit", DefaultLengthMinutes = 20, IsVideo = true });
        await db.SaveChangesAsync();
    }

    private static async Task<byte[]> ExportAsync(ServiceTestHost host, ImportKind kind, StaffActor? actor = null)
    {
        using var output = new MemoryStream();
        var outcome = await host.Scoped<ExportService>().WriteCsvAsync(actor ?? Staff.Admin, kind, output);
        Assert.IsType<Outcome.Done>(outcome);
        return output.ToArray();
    }

    private static async Task ImportAsync(ServiceTestHost host, ImportKind kind, byte[] file)
    {
        var job = await Imports.RunAsync(host, ClinicCsv.Request(kind, ClinicCsv.Read(file)));
        Assert.Equal((ImportJobStatus.Succeeded, 0, null), (job.Status, job.Refused, job.Error));
    }

    private static async Task<(object Clients, object Appointments)> RecordsAsync(ServiceTestHost host)
    {
        await using var db = await host.DbAsync();
        var clients = await db.Clients.OrderBy(c => c.Id).Select(c => new
        {
            c.ExternalId, c.FirstName, c.LastName, c.PreferredName, c.DateOfBirth, c.Email, c.MobilePhone, c.MobilePhoneDigits,
            c.StreetAddress, c.City, c.Province, c.PostalCode, c.PreferredLanguage, c.EndDate,
        }).ToListAsync();
        var appointments = await db.Appointments.OrderBy(a => a.Id).Select(a => new
        {
            a.ExternalId, a.Client.FirstName, a.Client.DateOfBirth, Practitioner = a.Practitioner.DisplayName, Type = a.AppointmentType.Name,
            a.StartUtc, a.EndUtc, a.Location, a.IsVideo, a.Status, a.CancelReason,
        }).ToListAsync();
        return (System.Text.Json.JsonSerializer.Serialize(clients), System.Text.Json.JsonSerializer.Serialize(appointments));
    }

    [Fact]
    public async Task Exported_clients_and_appointments_import_into_a_fresh_database_as_the_same_records()
    {
        await using var source = await ServiceTestHost.StartAsync();
        await SeedPractitionersAsync(source);
        await Imports.RunAsync(source, ClinicCsv.Request(ImportKind.Clients, ClinicCsv.Read(ClinicCsv.WindowsClients().Bytes), validRowsOnly: true));
        await ImportAsync(source, ImportKind.Clients, ClinicCsv.Utf8(
            "First name,Last name,Preferred name,Date of birth,Mobile phone,End date,Email\n" +
            "Zoë,=cmd|' /C calc'!A0,Zo,1999-09-09,+33 6 12 34 56 78,2025-01-31,\"zoe@example.com\"\n"));
        await ImportAsync(source, ImportKind.Appointments, ClinicCsv.Utf8(
            "Appointment ID,Client ID,First name,Last name,DOB,Practitioner,Type,Start,End,Location,Status,Cancel reason\n" +
            "A-1,CHART-0001,,,,Dr. Amara Okafor,Follow-up,2026-03-10 09:00,09:45,Room 2,Completed,\n" +
            ",,Zoë,=cmd|' /C calc'!A0,1999-09-09,Sam Lee,Video visit,2026-11-01 01:30,,,Booked,\n" +
            "A-3,CHART-0002,,,,Sam Lee,Follow-up,2026-03-11 14:00,,Room 1,Cancelled,\"Sick, will call back\"\n"));

        var clientsCsv = await ExportAsync(source, ImportKind.Clients);
        var appointmentsCsv = await ExportAsync(source, ImportKind.Appointments);

        Assert.Equal([0xEF, 0xBB, 0xBF], clientsCsv[..3]);
        Assert.Contains("'=cmd", System.Text.Encoding.UTF8.GetString(clientsCsv));
        await using var fresh = await ServiceTestHost.StartAsync();
        await SeedPractitionersAsync(fresh);
        await ImportAsync(fresh, ImportKind.Clients, clientsCsv);
        await ImportAsync(fresh, ImportKind.Appointments, appointmentsCsv);
        Assert.Equal(await RecordsAsync(source), await RecordsAsync(fresh));
        Assert.Equal(clientsCsv, await ExportAsync(fresh, ImportKind.Clients));
        Assert.Equal(appointmentsCsv, await ExportAsync(fresh, ImportKind.Appointments));
    }

    [Fact]
    public async Task An_export_is_audited_with_its_count_and_refused_to_non_admins()
    {
        await using var host = await ServiceTestHost.StartAsync();
        await host.AddClientAsync();
        await host.AddClientAsync("Noah", "Brown");

        await ExportAsync(host, ImportKind.Clients);
        using var output = new MemoryStream();
        var refused = await host.Scoped<ExportService>().WriteCsvAsync(Staff.FrontDesk, ImportKind.Clients, output);

        Assert.Equal(ImportService.AdminOnly, Assert.IsType<Outcome.Refused>(refused).Reason);
        Assert.Equal(0, output.Length);
        await using var db = await host.DbAsync();
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.ExportRun);
        Assert.Equal(("staff-admin", "Clients: 2 rows"), (audit.StaffUserId, audit.Details));
    }

    [Fact]
    public async Task The_sample_files_in_docs_import_cleanly_into_the_demo_clinics_practitioners_and_types()
    {
        await using var host = await ServiceTestHost.StartAsync();
        await using (var db = await host.DbAsync())
        {
            db.Practitioners.Add(new Practitioner { DisplayName = "Dr. Amara Okafor" });
            db.AppointmentTypes.AddRange(new AppointmentType { Name = "Follow-up" }, new AppointmentType { Name = "Video follow-up", IsVideo = true });
            await db.SaveChangesAsync();
        }
        var docs = Path.Combine(RepositoryRoot(), "docs");

        await ImportAsync(host, ImportKind.Clients, await File.ReadAllBytesAsync(Path.Combine(docs, "sample-clients.csv")));
        await ImportAsync(host, ImportKind.Appointments, await File.ReadAllBytesAsync(Path.Combine(docs, "sample-appointments.csv")));

        await using var after = await host.DbAsync();
        Assert.Equal((4, 4), (await after.Clients.CountAsync(), await after.Appointments.CountAsync()));
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "PortalApp.sln")))
            folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("PortalApp.sln not found above the test's folder.");
    }
}
