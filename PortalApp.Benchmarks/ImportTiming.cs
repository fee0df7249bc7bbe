using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Import;

namespace PortalApp.Benchmarks;

/// <summary>
/// The import against the floor: 20,000 clients and 100,000 appointments through the whole import (read the CSV, check
/// every row, one transaction, job row, audit) against a bare EF Core AddRange + SaveChanges of the same rows in batches,
/// each into a fresh SQLite file. Several runs of each; medians and their ratio. The issue's budget: the import ≤ 60 s.
/// </summary>
public static class ImportTiming
{
    private const int Clients = 20_000, Appointments = 100_000, Practitioners = 10, Runs = 3;
    private static readonly StaffActor Admin = new("bench-admin", "Bench Admin", StaffRoles.Admin);
    private static readonly string[] Types = ["Follow-up", "Initial assessment", "Massage"];

    public static async Task RunAsync()
    {
        var (clientsCsv, appointmentsCsv) = Files();
        Console.WriteLine($"Files: clients {clientsCsv.Length / 1024} KiB, appointments {appointmentsCsv.Length / 1024} KiB");
        var imports = new List<double>();
        var bare = new List<double>();
        for (var run = 1; run <= Runs; run++)
        {
            var import = await ImportAsync(clientsCsv, appointmentsCsv);
            var ef = await BareEfAsync(clientsCsv, appointmentsCsv);
            Console.WriteLine($"run {run}: import {import:0.0} s, bare EF Core {ef:0.0} s");
            imports.Add(import);
            bare.Add(ef);
        }
        var (mi, mb) = (Median(imports), Median(bare));
        Console.WriteLine($"median: import {mi:0.0} s, bare EF Core {mb:0.0} s, ratio {mi / mb:0.00}; budget 60 s: {(mi <= 60 ? "met" : "MISSED")}");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static (byte[] Clients, byte[] Appointments) Files()
    {
        var clients = new StringBuilder("Client ID,First name,Last name,Date of birth,Email,Mobile phone,City,Preferred language\n");
        for (var i = 0; i < Clients; i++)
            clients.Append(CultureInfo.InvariantCulture, $"C{i},Prénom{i},Nom{i % 500},{new DateOnly(1940, 1, 1).AddDays(i % 25_000):yyyy-MM-dd},p{i}@example.com,+1416555{i % 10_000:0000},Montréal,{(i % 3 == 0 ? "French" : "English")}\n");
        var appointments = new StringBuilder("Appointment ID,Client ID,Practitioner,Appointment type,Start,Length (minutes),Location,Status\n");
        // Each practitioner sees 16 half-hour visits a day, 08:00 to 16:00, weekdays and weekends alike: no overlaps.
        for (var i = 0; i < Appointments; i++)
        {
            var practitioner = i % Practitioners;
            var slot = i / Practitioners;
            var start = new DateTime(2024, 1, 2, 8, 0, 0).AddDays(slot / 16).AddMinutes(slot % 16 * 30);
            appointments.Append(CultureInfo.InvariantCulture, $"A{i},C{i % Clients},Practitioner {practitioner},{Types[i % Types.Length]},{start:yyyy-MM-dd HH:mm},30,Room {practitioner},{(start < new DateTime(2026, 1, 1) ? "Completed" : "Booked")}\n");
        }
        return (Encoding.UTF8.GetBytes(clients.ToString()), Encoding.UTF8.GetBytes(appointments.ToString()));
    }

    private static async Task<BenchmarkHost> FreshAsync()
    {
        var host = await BenchmarkHost.StartAsync();
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        db.Practitioners.AddRange(Enumerable.Range(0, Practitioners).Select(i => new Practitioner { DisplayName = $"Practitioner {i}" }));
        db.AppointmentTypes.AddRange(Types.Select(t => new AppointmentType { Name = t }));
        await db.SaveChangesAsync();
        return host;
    }

    private static async Task<double> ImportAsync(byte[] clientsCsv, byte[] appointmentsCsv)
    {
        await using var host = await FreshAsync();
        var clock = Stopwatch.StartNew();
        await ImportOneAsync(host, ImportKind.Clients, clientsCsv);
        await ImportOneAsync(host, ImportKind.Appointments, appointmentsCsv);
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task ImportOneAsync(BenchmarkHost host, ImportKind kind, byte[] csv)
    {
        var service = host.Scoped<ImportService>();
        var read = (CsvReadResult.Read)await service.ReadAsync(Admin, "bench.csv", csv.Length, _ => new MemoryStream(csv));
        var request = new ImportRequest(kind, read.Table, ImportFields.AutoMap(kind, read.Table.Headers), DateFormat.IsoYearMonthDay);
        var started = (ImportStartResult.Started)await service.StartAsync(Admin, request);
        while (await service.GetJobAsync(Admin, started.JobId) is { Status: ImportJobStatus.Running })
            await Task.Delay(50);
        var job = await service.GetJobAsync(Admin, started.JobId);
        if (job is not { Status: ImportJobStatus.Succeeded, Refused: 0 })
            throw new InvalidOperationException($"The {kind} import ended {job?.Status}: {job?.Error}");
    }

    /// <summary>The floor: the same rows, already parsed, added with AddRange and saved in batches, nothing checked.</summary>
    private static async Task<double> BareEfAsync(byte[] clientsCsv, byte[] appointmentsCsv)
    {
        await using var host = await FreshAsync();
        var factory = host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var clientRows = ((CsvReadResult.Read)CsvFile.Parse("c.csv", clientsCsv)).Table.Rows;
        var appointmentRows = ((CsvReadResult.Read)CsvFile.Parse("a.csv", appointmentsCsv)).Table.Rows;
        var clock = Stopwatch.StartNew();
        await using var db = await factory.CreateDbContextAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var now = DateTime.UtcNow;
        var clientIds = new Dictionary<string, int>();
        foreach (var batch in clientRows.Chunk(ImportRunner.BatchSize))
        {
            var cards = batch.Select(r => new Client
            {
                ExternalId = r[0], FirstName = r[1]!, LastName = r[2]!, DateOfBirth = DateOnly.Parse(r[3]!, CultureInfo.InvariantCulture), Email = r[4],
                MobilePhone = r[5], MobilePhoneDigits = r[5]![1..], City = r[6], PreferredLanguage = Enum.Parse<ClientLanguage>(r[7]!), CreatedAtUtc = now, UpdatedAtUtc = now,
            }).ToList();
            db.Clients.AddRange(cards);
            await db.SaveChangesAsync();
            foreach (var c in cards)
                clientIds[c.ExternalId!] = c.Id;
            db.ChangeTracker.Clear();
        }
        var practitioners = await db.Practitioners.ToDictionaryAsync(p => p.DisplayName, p => p.Id);
        var types = await db.AppointmentTypes.ToDictionaryAsync(t => t.Name, t => t.Id);
        foreach (var batch in appointmentRows.Chunk(ImportRunner.BatchSize))
        {
            db.Appointments.AddRange(batch.Select(r =>
            {
                var start = DateTime.SpecifyKind(DateTime.Parse(r[4]!, CultureInfo.InvariantCulture), DateTimeKind.Utc);
                return new Appointment
                {
                    ExternalId = r[0], ClientId = clientIds[r[1]!], PractitionerId = practitioners[r[2]!], AppointmentTypeId = types[r[3]!],
                    StartUtc = start, EndUtc = start.AddMinutes(30), Location = r[6]!, Status = Enum.Parse<AppointmentStatus>(r[7]!), CreatedAtUtc = now, UpdatedAtUtc = now,
                };
            }));
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
        return clock.Elapsed.TotalSeconds;
    }
}
