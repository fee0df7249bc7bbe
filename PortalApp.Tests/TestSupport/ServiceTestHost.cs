using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using PortalApp.Data;
using PortalApp.Infrastructure;
using PortalApp.Infrastructure.MigrateToPostgres;

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// The app's real services over a real database of the test's own (a SQLite file, or a PostgreSQL database when
/// ./test.sh runs the service tests again on PostgreSQL), without the web server. Only the clock is fake. Background
/// services are not started: tests drive the dispatcher themselves.
/// </summary>
public sealed class ServiceTestHost : IAsyncDisposable
{
    /// <summary>Wednesday 4 March 2026, 15:00 UTC (10:00 in Toronto).</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 4, 15, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;
    private readonly TestFolder _folder;

    private readonly string? _postgresDatabase;
    private readonly bool _ownsDatabase;

    private ServiceTestHost(WebApplication app, TestFolder folder, FakeTimeProvider time, string? postgresDatabase, bool ownsDatabase)
    {
        _app = app;
        _folder = folder;
        Time = time;
        _postgresDatabase = postgresDatabase;
        _ownsDatabase = ownsDatabase;
    }

    /// <summary>The PostgreSQL database's name, when the host runs on PostgreSQL.</summary>
    public string? PostgresDatabase => _postgresDatabase;

    public DatabaseProvider Provider => _postgresDatabase is null ? DatabaseProvider.Sqlite : DatabaseProvider.PostgreSql;

    public FakeTimeProvider Time { get; }
    public IServiceProvider Services => _app.Services;
    public string Folder => _folder.Path;

    /// <summary>
    /// A database migrated and prepared once per test run, copied for each host whose settings do not shape the
    /// database: running every migration for each of several hundred hosts was a tenth of the suite's time.
    /// </summary>
    private static readonly Lazy<Task<string>> PreparedDatabase = new(PrepareTemplateAsync);
    private static readonly Lazy<Task<string>> PreparedPostgresDatabase = new(PreparePostgresTemplateAsync);

    /// <summary>On the provider ./test.sh chose for this run (SQLite unless PORTALAPP_TEST_PROVIDER says otherwise).</summary>
    public static Task<ServiceTestHost> StartAsync(IDictionary<string, string?>? settings = null) =>
        StartAsync(TestPostgres.Provider, settings);

    public static async Task<ServiceTestHost> StartAsync(DatabaseProvider provider, IDictionary<string, string?>? settings = null)
    {
        var shapesDatabase = settings?.Keys.Any(k => k.StartsWith("Clinic:") || k.StartsWith("ConnectionStrings:") || k.StartsWith("Database:")) ?? false;
        if (provider == DatabaseProvider.PostgreSql)
        {
            var database = await TestPostgres.CreateDatabaseAsync(shapesDatabase ? null : await PreparedPostgresDatabase.Value);
            return await StartAsync(settings, template: null, postgresDatabase: database, fromPreparedTemplate: !shapesDatabase);
        }
        var template = shapesDatabase ? null : await PreparedDatabase.Value;
        return await StartAsync(settings, template, postgresDatabase: null, fromPreparedTemplate: template is not null);
    }

    /// <summary>
    /// The PostgreSQL template is the SQLite template moved by <c>admin migrate-to-postgres</c>, so every service test
    /// that runs on PostgreSQL runs on a migrated copy: the copy is proven by the whole suite, not by one test.
    /// </summary>
    private static async Task<string> PreparePostgresTemplateAsync()
    {
        var sqlite = await PreparedDatabase.Value;
        var database = await TestPostgres.CreateDatabaseAsync();
        var output = new StringWriter();
        var code = await MigrateToPostgresCommand.RunAsync(
            ["admin", "migrate-to-postgres", "--from", sqlite, "--to", TestPostgres.ConnectionString(database)],
            new AdminConsole(new StringReader(""), output, output, Interactive: false));
        if (code != 0)
            throw new InvalidOperationException($"admin migrate-to-postgres could not make the PostgreSQL template (exit {code}):\n{output}");
        await TestPostgres.ReleaseAsync(database);
        return database;
    }

    /// <summary>A host over a PostgreSQL database that exists already (e.g. one a test copied into); dropped on dispose.</summary>
    public static Task<ServiceTestHost> StartOnPostgresAsync(string database) => StartAsync(null, template: null, postgresDatabase: database);

    private static async Task<string> PrepareTemplateAsync()
    {
        var host = await StartAsync(null, template: null, postgresDatabase: null);
        // A running clinic has its key ring already: make it now, so a test's first write is not also the first key's
        // (the PostgreSQL template gets it through the migration, as a real clinic would).
        host.Get<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>().CreateProtector("template").Protect([1]);
        var folder = Path.Combine(Path.GetTempPath(), "portalapp-tests", $"template-{Guid.NewGuid():N}");
        var file = Path.Combine(folder, "portal.db");
        await using (var db = await host.DbAsync())
        {
            // Everything into the main file, so copying that one file copies the whole database.
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var keys = DataFiles.For(file).KeysFolder;
        Directory.CreateDirectory(keys);
        File.Copy(host._folder.File("portal.db"), file);
        foreach (var key in Directory.GetFiles(DataFiles.For(host._folder.File("portal.db")).KeysFolder))
            File.Copy(key, Path.Combine(keys, Path.GetFileName(key)));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); };
        await host.DisposeAsync();
        return file;
    }

    /// <summary>
    /// Another instance of the app over this host's database, as a second server behind a proxy would be: its own
    /// services, clock and folder, and the settings given (at least its own Instance:Name). This host keeps owning the
    /// database; dispose the sibling first.
    /// </summary>
    public Task<ServiceTestHost> StartSiblingAsync(IDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>(settings);
        if (_postgresDatabase is null)
            all["ConnectionStrings:Portal"] = $"Data Source={_folder.File("portal.db")}";
        return StartAsync(all, template: null, _postgresDatabase, ownsDatabase: false);
    }

    private static async Task<ServiceTestHost> StartAsync(IDictionary<string, string?>? settings, string? template, string? postgresDatabase,
        bool ownsDatabase = true, bool fromPreparedTemplate = false)
    {
        var folder = new TestFolder();
        if (template is not null)
        {
            File.Copy(template, folder.File("portal.db"));
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(folder.File("portal.db"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Development,
            ContentRootPath = folder.Path,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Portal"] = $"Data Source={folder.File("portal.db")}",
            ["Email:FromAddress"] = "portal@clinic.example",
            ["Email:FromName"] = "Test Clinic",
            ["Email:PickupFolder"] = folder.File("mailbox"),
            ["Clinic:Name"] = "Test Clinic",
            ["Clinic:TimeZone"] = "America/Toronto",
            ["Clinic:PublicBaseUrl"] = "https://portal.clinic.example",
        });
        if (postgresDatabase is not null)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "PostgreSql",
                ["ConnectionStrings:Portal"] = TestPostgres.ConnectionString(postgresDatabase),
            });
        }
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);

        var time = new FakeTimeProvider(Start);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddPortalCore(builder.Configuration, builder.Environment);
        builder.Services.UseCheapPasswordHashing();
        if (postgresDatabase is not null)
        {
            builder.Services.AddSingleton<PostgresFullDisk>();
            builder.Services.ConfigureDbContext<PostgreSqlPortalDbContext>((sp, options) => options.AddInterceptors(sp.GetRequiredService<PostgresFullDisk>()));
        }
        var app = builder.Build();
        // A copy of the prepared template is already what start-up makes (migrated, roles, settings, templates, starter
        // forms): preparing it again cost 0.4 s per host on SQLite and 0.85 s on PostgreSQL, mostly EF's migration check.
        if (!fromPreparedTemplate)
            await StartupTasks.PrepareDatabaseAsync(app.Services);
        return new ServiceTestHost(app, folder, time, postgresDatabase, ownsDatabase);
    }

    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>
    /// From now on the database cannot grow: SQLite answers SQLITE_FULL, exactly as on a full disk; PostgreSQL answers
    /// disk_full (53100) through <see cref="PostgresFullDisk"/>.
    /// </summary>
    public void FillDisk()
    {
        if (Provider == DatabaseProvider.PostgreSql)
        {
            Get<PostgresFullDisk>().Full = true;
            return;
        }
        var configuration = (IConfigurationRoot)_app.Services.GetRequiredService<IConfiguration>();
        configuration["Database:MaxSizeMegabytes"] = "0";
        configuration.Reload();
    }

    /// <summary>A scoped service (e.g. ClientService) from a scope that lives as long as the host.</summary>
    public T Scoped<T>() where T : notnull => _app.Services.CreateScope().ServiceProvider.GetRequiredService<T>();

    public Task<PortalDbContext> DbAsync() => Get<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    public async Task<Client> AddClientAsync(string first = "Emma", string last = "Smith", DateOnly? dateOfBirth = null,
        string? email = "emma.smith@example.com", string? phone = "(416) 555-0101", DateOnly? endDate = null)
    {
        await using var db = await DbAsync();
        // Stored as the app stores it (E.164), so reading it back and saving it again is no change.
        phone = PhoneNumberRules.Parse(phone, ClinicSettings.DefaultPhoneRegion).E164 ?? phone;
        var client = new Client
        {
            FirstName = first,
            LastName = last,
            DateOfBirth = dateOfBirth ?? new DateOnly(1984, 3, 7),
            Email = email,
            MobilePhone = phone,
            MobilePhoneDigits = phone is null ? null : PhoneNumberRules.Digits(phone),
            EndDate = endDate,
            CreatedAtUtc = Time.GetUtcNow().UtcDateTime,
            UpdatedAtUtc = Time.GetUtcNow().UtcDateTime,
        };
        db.Clients.Add(client);
        await db.SaveChangesAsync();
        return client;
    }

    /// <summary>Sends the client a portal invite from the default template and returns its link's token, read from the queued email.</summary>
    public async Task<string> SendInviteAsync(int clientId)
    {
        var template = (await Scoped<PortalApp.Features.Templates.TemplateService>().ListAsync(TemplateKind.PortalInvite)).Single(t => t.IsDefault);
        var sent = await Scoped<PortalApp.Features.Invites.InviteService>().SendAsync(clientId, template.Id, Staff.FrontDesk, false);
        Assert.IsType<PortalApp.Features.Invites.InviteSendResult.Sent>(sent);
        await using var db = await DbAsync();
        var email = await db.OutboxEmails.Where(o => o.ClientId == clientId).OrderBy(o => o.Id).LastAsync();
        var (_, text, _) = Get<PortalApp.Email.OutboxSecrets>().Reveal(email);
        return System.Text.RegularExpressions.Regex.Match(text, "/register/([A-Za-z0-9_-]{43})").Groups[1].Value;
    }

    public async Task<Appointment> AddAppointmentAsync(int clientId, DateTime startUtc, string practitioner = "Dr. Test", string type = "Follow-up")
    {
        await using var db = await DbAsync();
        var p = await db.Practitioners.FirstOrDefaultAsync(x => x.DisplayName == practitioner)
            ?? db.Practitioners.Add(new Practitioner { DisplayName = practitioner }).Entity;
        var t = await db.AppointmentTypes.FirstOrDefaultAsync(x => x.Name == type)
            ?? db.AppointmentTypes.Add(new AppointmentType { Name = type }).Entity;
        var appointment = new Appointment
        {
            ClientId = clientId, Practitioner = p, AppointmentType = t, StartUtc = startUtc, EndUtc = startUtc.AddMinutes(30),
            Location = "Room 1", Status = AppointmentStatus.Booked,
        };
        db.Appointments.Add(appointment);
        await db.SaveChangesAsync();
        return appointment;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _folder.Dispose();
        if (_postgresDatabase is not null && _ownsDatabase)
            await TestPostgres.DropDatabaseAsync(_postgresDatabase);
    }
}
