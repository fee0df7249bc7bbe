using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Infrastructure;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Startup;

/// <summary>What only SQLite has (a size cap, a file to back up, file modes) says so on PostgreSQL, and /healthz works on both.</summary>
public sealed class SqliteOnlySettingsTests
{
    [Fact]
    public async Task Backup_on_PostgreSql_makes_no_file_and_names_pg_dump()
    {
        await using var host = await ServiceTestHost.StartAsync(DatabaseProvider.PostgreSql);
        using var folder = new TestFolder();
        var output = new StringWriter();

        var code = await AdminCommand.RunAsync(host.Services, ["admin", "backup", "--to", folder.File("portal.db")],
            new AdminConsole(new StringReader(""), output, output, Interactive: false));

        Assert.Equal(1, code);
        Assert.StartsWith("admin backup is for SQLite; on PostgreSQL use pg_dump, e.g. pg_dump --format=custom --file=", output.ToString());
        Assert.False(File.Exists(folder.File("portal.db")));
    }

    [Fact]
    public async Task On_PostgreSql_the_size_cap_is_named_as_ignored_once_no_data_files_are_checked_and_healthz_answers()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        try
        {
            await using var factory = new PortalAppFactory()
                .With("Database:Provider", "PostgreSql")
                .With("ConnectionStrings:Portal", TestPostgres.ConnectionString(database))
                .With("Database:MaxSizeMegabytes", "500");

            var healthy = await HealthAsync(factory);

            Assert.Equal((HttpStatusCode.OK, "Healthy"), healthy);
            var logs = factory.ReadLogs();
            Assert.Single(Regex.Matches(logs, @"Database:MaxSizeMegabytes \(500 MB\) is a SQLite setting and is ignored on PostgreSQL\. To cap the database's size there"));
            Assert.Null(factory.Services.GetService<DataFiles>());
            Assert.DoesNotContain("can be opened by other users", logs);

            await TestPostgres.DropDatabaseAsync(database); // the server loses the database under the running app
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await HealthAsync(factory));
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(database);
        }
    }

    private static async Task<(HttpStatusCode, string?)> HealthAsync(PortalAppFactory factory)
    {
        var response = await StaffClient.Anonymous(factory).GetAsync("/healthz");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }
}
