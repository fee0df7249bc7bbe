using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Invites;
using PortalApp.Features.Templates;
using PortalApp.Infrastructure;
using PortalApp.Infrastructure.MigrateToPostgres;
using PortalApp.Security;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Startup;

/// <summary>
/// <c>admin migrate-to-postgres</c> from a real SQLite file to the real PostgreSQL test server. (Every service test
/// that runs on PostgreSQL also runs on a copy this command made: ServiceTestHost's PostgreSQL template.)
/// </summary>
public sealed class MigrateToPostgresTests
{
    private static async Task<(int Code, string Output)> MigrateAsync(string from, string to, Func<string, NpgsqlConnection, Task>? afterTableCopied = null)
    {
        var output = new StringWriter();
        var code = await MigrateToPostgresCommand.RunAsync(["admin", "migrate-to-postgres", "--from", from, "--to", to],
            new AdminConsole(new StringReader(""), output, output, Interactive: false), afterTableCopied);
        return (code, output.ToString());
    }

    private static string FileOf(ServiceTestHost host) => Path.Combine(host.Folder, "portal.db");

    [Fact]
    public async Task The_demo_clinic_moves_with_its_ids_every_row_and_its_append_only_audit_log()
    {
        await using var clinic = await ServiceTestHost.StartAsync(DatabaseProvider.Sqlite);
        await DemoSeeder.SeedAsync(clinic.Services, clinic.Time);
        int mergedId, survivorId;
        await using (var db = await clinic.DbAsync())
        {
            // A card merged into a later one: the link can only be written once both rows are in.
            var ids = await db.Clients.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync();
            (mergedId, survivorId) = (ids[0], ids[^1]);
            await db.Clients.Where(c => c.Id == mergedId).ExecuteUpdateAsync(s => s.SetProperty(c => c.MergedIntoClientId, survivorId));
        }
        await SendInviteAsync(clinic, (await clinic.AddClientAsync("Ivy", "Invited", email: "ivy@example.com")).Id);
        await AddPasskeyAsync(clinic); // the one JSON column: jsonb keeps neither the key order nor the spacing
        var responseId = await AddScoredIntakeResponseAsync(clinic); // a decimal: SQLite keeps it as text
        await using (var db = await clinic.DbAsync())
        {
            // Text keys that a language's collation sorts otherwise than bytes do ("a" before "B"; SQLite: "B" first).
            db.Roles.AddRange(new IdentityRole("Zeta") { Id = "a-role" }, new IdentityRole("Beta") { Id = "B-role" });
            // A time as the real clock gives it, to the 100 ns: PostgreSQL keeps microseconds.
            (await db.Clients.OrderBy(c => c.Id).LastAsync()).UpdatedAtUtc = ServiceTestHost.Start.UtcDateTime.AddTicks(1_234_567);
            await db.SaveChangesAsync();
        }
        await using var target = await EmptyTarget.CreateAsync(collation: "en-US");

        var (code, output) = await MigrateAsync(FileOf(clinic), target.ConnectionString);

        Assert.True(code == 0, output);
        Assert.DoesNotContain("DIFFERENT", output);
        Assert.Contains("Set Database__Provider=PostgreSql", output);
        // Counted here, independently of the command, for every table SQLite has: none is left behind.
        foreach (var table in await SqliteTablesAsync(FileOf(clinic)))
        {
            var rows = await CountAsync(new SqliteConnection($"Data Source={FileOf(clinic)}"), table);
            if (table == KeyRingRows.Table) // the key ring's files beside the database become rows
                rows += Directory.GetFiles(DataFiles.For(FileOf(clinic)).KeysFolder, "*.xml").Length;
            Assert.Equal((table, rows), (table, await CountAsync(new NpgsqlConnection(target.ConnectionString), table)));
            Assert.Matches($@"(?m)^{table} +[\d,]+ +[\d,]+ +\w{{12}} \w{{12}}  same\r?$", output);
        }
        await using var moved = await ServiceTestHost.StartOnPostgresAsync(target.Name);
        await using (var before = await clinic.DbAsync())
        await using (var after = await moved.DbAsync())
        {
            var clients = await before.Clients.OrderBy(c => c.Id).Select(c => new { c.Id, c.FirstName, c.LastName, c.DateOfBirth, c.MergedIntoClientId, c.CreatedAtUtc, c.EndDate }).ToListAsync();
            Assert.Equal(clients, await after.Clients.OrderBy(c => c.Id).Select(c => new { c.Id, c.FirstName, c.LastName, c.DateOfBirth, c.MergedIntoClientId, c.CreatedAtUtc, c.EndDate }).ToListAsync());
            Assert.Equal(survivorId, (await after.Clients.SingleAsync(c => c.Id == mergedId)).MergedIntoClientId);
            Assert.True(await after.AuditEvents.AnyAsync());
            Assert.Equal(12.5m, (await after.FormResponses.SingleAsync(r => r.Id == responseId)).Score);
            var change = await Assert.ThrowsAnyAsync<Exception>(() => after.Database.ExecuteSqlRawAsync("UPDATE \"AuditEvents\" SET \"Details\" = 'rewritten'"));
            Assert.Contains("append-only", change.Message);
        }
        // Each identity sequence was moved past the copied ids: the next card gets the next number.
        int highest;
        await using (var db = await moved.DbAsync())
            highest = await db.Clients.MaxAsync(c => c.Id);
        Assert.Equal(highest + 1, (await moved.AddClientAsync("Next", "Card")).Id);
    }

    private static async Task<int> AddScoredIntakeResponseAsync(ServiceTestHost clinic)
    {
        var client = await clinic.AddClientAsync("Sam", "Scored", email: "sam@example.com");
        await using var db = await clinic.DbAsync();
        var version = await db.IntakeFormVersions.OrderBy(v => v.Id).FirstAsync();
        var now = clinic.Time.GetUtcNow().UtcDateTime;
        var assignment = db.FormAssignments.Add(new FormAssignment
        {
            ClientId = client.Id, IntakeFormId = version.IntakeFormId, IntakeFormVersionId = version.Id, Status = FormAssignmentStatus.Submitted,
            SentAtUtc = now, SentByName = "Fran Desk", SubmittedAtUtc = now,
        }).Entity;
        await db.SaveChangesAsync();
        var response = db.FormResponses.Add(new FormResponse
        {
            FormAssignmentId = assignment.Id, ClientId = client.Id, IntakeFormId = version.IntakeFormId, IntakeFormVersionId = version.Id,
            AnswersJson = "{}", Score = 12.5m, SubmittedAtUtc = now, FilledByName = "Sam Scored", PdfBytes = [1, 2, 3],
        }).Entity;
        await db.SaveChangesAsync();
        return response.Id;
    }

    [Fact]
    public async Task Sign_in_cookies_and_waiting_email_links_made_on_SQLite_still_open_on_PostgreSQL()
    {
        await using var clinic = await ServiceTestHost.StartAsync(DatabaseProvider.Sqlite);
        await SendInviteAsync(clinic, (await clinic.AddClientAsync()).Id);
        var cookie = CookieFormat(clinic).Protect(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "staff-42")], SessionCookies.StaffScheme)), SessionCookies.StaffScheme));
        var email = await WaitingEmailAsync(clinic);
        Assert.Contains("/register/", email);
        await using var target = await EmptyTarget.CreateAsync();
        await target.MigrateSchemaAsync(); // an empty database that has its tables already is fine

        var (code, output) = await MigrateAsync(FileOf(clinic), target.ConnectionString);

        Assert.True(code == 0, output);
        await using var moved = await ServiceTestHost.StartOnPostgresAsync(target.Name);
        Assert.Equal(email, await WaitingEmailAsync(moved));
        Assert.Equal("staff-42", CookieFormat(moved).Unprotect(cookie)?.Principal.FindFirstValue(ClaimTypes.NameIdentifier));
    }

    [Fact]
    public async Task A_target_that_holds_rows_is_refused_and_left_as_it_was()
    {
        await using var inUse = await ServiceTestHost.StartAsync(DatabaseProvider.PostgreSql);
        await inUse.AddClientAsync("Already", "There");
        var before = await TableCountsAsync(inUse);
        await using var clinic = await ServiceTestHost.StartAsync(DatabaseProvider.Sqlite);
        await clinic.AddClientAsync("Emma", "Sqlite");

        var (code, output) = await MigrateAsync(FileOf(clinic), TestPostgres.ConnectionString(inUse.PostgresDatabase!));

        Assert.Equal(1, code);
        Assert.Contains($"The database {inUse.PostgresDatabase} on 127.0.0.1 is not empty", output);
        Assert.Contains("Nothing was changed", output);
        Assert.Equal(before, await TableCountsAsync(inUse));
        await using var db = await inUse.DbAsync();
        Assert.Equal(["Already"], await db.Clients.Select(c => c.FirstName).ToListAsync());
    }

    [Fact]
    public async Task A_missing_unreadable_or_older_source_is_named_before_the_target_is_touched()
    {
        using var folder = new TestFolder();
        const string nowhere = "Host=127.0.0.1;Port=1;Database=never_contacted";

        var missing = await MigrateAsync(folder.File("portal.db"), nowhere);
        Assert.Equal((1, $"There is no SQLite database at {folder.File("portal.db")}."), (missing.Code, missing.Output.Split(" Give")[0]));

        await File.WriteAllTextAsync(folder.File("notes.db"), "These are not the droids you are looking for, and this is not a database either.");
        var unreadable = await MigrateAsync(folder.File("notes.db"), nowhere);
        Assert.Equal(1, unreadable.Code);
        Assert.Contains($"{folder.File("notes.db")} cannot be read as a SQLite database", unreadable.Output);

        await using var clinic = await ServiceTestHost.StartAsync(DatabaseProvider.Sqlite);
        await using (var db = await clinic.DbAsync())
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = (SELECT MAX(\"MigrationId\") FROM \"__EFMigrationsHistory\")");
        var older = await MigrateAsync(FileOf(clinic), nowhere);
        Assert.Equal(1, older.Code);
        Assert.Contains("the database is older than this version of PortalApp", older.Output);

        var noTarget = await MigrateAsync(FileOf(clinic), "");
        Assert.Equal(2, noTarget.Code);
        Assert.Contains("Usage:", noTarget.Output);
    }

    [Fact]
    public async Task A_value_that_differs_after_the_copy_fails_the_check_and_nothing_is_kept()
    {
        await using var clinic = await ServiceTestHost.StartAsync(DatabaseProvider.Sqlite);
        await clinic.AddClientAsync("Emma", "Smith");
        await using var target = await EmptyTarget.CreateAsync();

        // Inside the copy's own transaction, after Clients went in: one first name changes, as a faulty copy would.
        var (code, output) = await MigrateAsync(FileOf(clinic), target.ConnectionString, async (table, connection) =>
        {
            if (table == "Clients")
                await new NpgsqlCommand("UPDATE \"Clients\" SET \"FirstName\" = 'Emmy'", connection).ExecuteNonQueryAsync();
        });

        Assert.Equal(1, code);
        Assert.Matches(@"(?m)^Clients +1 +1 +\w{12} \w{12}  DIFFERENT\r?$", output);
        Assert.Matches(@"(?m)^ClinicSettings +1 +1 +\w{12} \w{12}  same\r?$", output);
        Assert.Contains("Nothing was kept", output);
        await using var check = new NpgsqlConnection(target.ConnectionString);
        Assert.Equal(0, await CountAsync(check, "Clients"));
        Assert.Equal(0, await CountAsync(new NpgsqlConnection(target.ConnectionString), "ClinicSettings"));
    }

    [Fact]
    public async Task The_copy_is_the_clinic_at_one_moment_while_the_app_goes_on_writing()
    {
        await using var clinic = await ServiceTestHost.StartAsync(DatabaseProvider.Sqlite);
        var emma = await clinic.AddClientAsync("Emma", "Smith");
        await using var target = await EmptyTarget.CreateAsync();

        // While the copy is between tables, the running app books a new client with a new practitioner and type: if the
        // later tables were read as they are now, their rows would point at a client the copy does not have.
        var (code, output) = await MigrateAsync(FileOf(clinic), target.ConnectionString, async (table, _) =>
        {
            if (table == "Clients")
                await clinic.AddAppointmentAsync((await clinic.AddClientAsync("Late", "Arrival")).Id, ServiceTestHost.Start.UtcDateTime.AddDays(1), "Dr. Late", "Late visit");
        });

        Assert.True(code == 0, output);
        await using var moved = await ServiceTestHost.StartOnPostgresAsync(target.Name);
        await using var db = await moved.DbAsync();
        Assert.Equal([emma.Id], await db.Clients.Select(c => c.Id).ToListAsync());
        Assert.False(await db.Appointments.AnyAsync());
        await using var source = await clinic.DbAsync();
        Assert.Equal(1, await source.Appointments.CountAsync()); // the app's write went through meanwhile
    }

    private static async Task SendInviteAsync(ServiceTestHost host, int clientId)
    {
        var template = (await host.Scoped<TemplateService>().ListAsync(TemplateKind.PortalInvite)).Single(t => t.IsDefault);
        Assert.IsType<InviteSendResult.Sent>(await host.Scoped<InviteService>().SendAsync(clientId, template.Id, Staff.FrontDesk, resend: false));
    }

    private static async Task AddPasskeyAsync(ServiceTestHost host)
    {
        using var scope = host.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var admin = await users.FindByEmailAsync(DemoSeeder.StaffAccounts[0].Email);
        var passkey = new UserPasskeyInfo([1, 2, 3, 4], [5, 6, 7], ServiceTestHost.Start, 3, ["usb", "nfc"], true, false, false, [8], [9]) { Name = "Front desk key" };
        Assert.True((await users.AddOrUpdatePasskeyAsync(admin!, passkey)).Succeeded);
    }

    private static ISecureDataFormat<AuthenticationTicket> CookieFormat(ServiceTestHost host) =>
        host.Get<IOptionsMonitor<CookieAuthenticationOptions>>().Get(SessionCookies.StaffScheme).TicketDataFormat;

    /// <summary>The waiting email's text with its link decrypted, as the dispatcher will send it.</summary>
    private static async Task<string> WaitingEmailAsync(ServiceTestHost host)
    {
        await using var db = await host.DbAsync();
        return host.Get<OutboxSecrets>().Reveal(await db.OutboxEmails.SingleAsync(o => o.ProtectedSecret != null)).Text;
    }

    private static async Task<List<string>> SqliteTablesAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using var command = new SqliteCommand("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT IN ('__EFMigrationsHistory', '__EFMigrationsLock') ORDER BY name", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
            tables.Add(reader.GetString(0));
        return tables;
    }

    private static async Task<long> CountAsync(System.Data.Common.DbConnection connection, string table)
    {
        await using (connection)
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            return Convert.ToInt64(await command.ExecuteScalarAsync());
        }
    }

    private static async Task<string> TableCountsAsync(ServiceTestHost host)
    {
        await using var db = await host.DbAsync();
        var counts = new List<string>();
        foreach (var table in CopyPlan.For(db.Model))
            counts.Add($"{table.Name}={await CountAsync(new NpgsqlConnection(TestPostgres.ConnectionString(host.PostgresDatabase!)), table.Name)}");
        return string.Join(", ", counts);
    }

    /// <summary>A new, empty PostgreSQL database of the test's own, dropped afterwards.</summary>
    private sealed class EmptyTarget : IAsyncDisposable
    {
        public required string Name { get; init; }
        public string ConnectionString => TestPostgres.ConnectionString(Name);

        public static async Task<EmptyTarget> CreateAsync() => new() { Name = await TestPostgres.CreateDatabaseAsync() };

        /// <summary>A database that sorts text by a language's rules (ICU), as many servers are set up, not by bytes.</summary>
        public static async Task<EmptyTarget> CreateAsync(string collation)
        {
            var target = new EmptyTarget { Name = $"t_{Guid.NewGuid():N}" };
            await using var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestPostgres.ServerConnectionString) { Pooling = false }.ToString());
            await server.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE \"{target.Name}\" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '{collation}' LOCALE 'C.UTF-8'", server).ExecuteNonQueryAsync();
            return target;
        }

        public async Task MigrateSchemaAsync()
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var db = TargetDatabase.Context(connection);
            await db.Database.MigrateAsync();
        }

        public ValueTask DisposeAsync() => new(TestPostgres.DropDatabaseAsync(Name));
    }
}
