using PortalApp.Features.Audit;
using System.Net;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Audit;

/// <summary>GET /admin/audit/export through the whole app: admins only, the page's filter, formula-safe cells, audited.</summary>
public sealed class AuditExportTests(PortalAppFixture app) : IClassFixture<PortalAppFixture>
{
    // Client ids no demo client has, one per test, so each test's rows are the only ones its filter matches.
    private const int Emma = 900_001;
    private const int Noah = 900_002;
    private const int Mia = 900_003;
    private const int Liam = 900_004;

    private async Task SeedAsync(int clientId)
    {
        await using var db = await app.Factory.DbAsync();
        // The clinic is in Toronto: 03:30 UTC on 5 March is still 4 March there.
        Add(db, new DateTimeOffset(2026, 3, 5, 3, 30, 0, TimeSpan.Zero), AuditActions.ClientEdit, clientId, "Changed: email");
        Add(db, new DateTimeOffset(2026, 3, 5, 15, 0, 0, TimeSpan.Zero), AuditActions.ClientEdit, clientId, "=HYPERLINK(\"http://evil.example\",\"Open\")");
        Add(db, new DateTimeOffset(2026, 3, 6, 15, 0, 0, TimeSpan.Zero), AuditActions.ChartNoteSave, clientId, "+1");
        Add(db, new DateTimeOffset(2026, 3, 7, 15, 0, 0, TimeSpan.Zero), AuditActions.ClientView, clientId, "@SUM(A1:A9)", new StaffActor("u-x", "-Mallory"));
        await db.SaveChangesAsync();
    }

    private static void Add(PortalDbContext db, DateTimeOffset at, string action, int clientId, string details, StaffActor? actor = null) =>
        new AuditLog(new FakeTimeProvider(at)).Add(db, actor ?? Staff.FrontDesk, action, clientId, AuditOutcome.Succeeded, details);

    private static List<Dictionary<string, string>> Rows(string csv)
    {
        using var reader = CsvReader.FromText(csv);
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
            rows.Add(AuditExportService.Header.ToDictionary(h => h, h => reader.GetString(h)));
        return rows;
    }

    [Fact]
    public async Task An_admin_downloads_the_filtered_rows_as_csv()
    {
        await SeedAsync(Emma);
        var admin = await StaffClient.SignedInAsync(app.Factory, "admin@demo.clinic");

        var response = await admin.GetAsync($"/admin/audit/export?action={AuditActions.ClientEdit}&clientId={Emma}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("audit-log-", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition.DispositionType);
        var csv = await response.Content.ReadAsStringAsync();
        Assert.StartsWith(string.Join(",", AuditExportService.Header) + "\r\n", csv);
        var rows = Rows(csv);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal((AuditActions.ClientEdit, "Client details changed", Emma.ToString(), "Fran Desk"), (r["Action"], r["Action name"], r["Client id"], r["Staff"])));
        Assert.Equal(("2026-03-05T03:30:00Z", "2026-03-04 22:30:00", "Changed: email"), (rows[0]["When (UTC)"], rows[0]["When (clinic time)"], rows[0]["Details"]));
    }

    [Fact]
    public async Task Dates_are_whole_clinic_days_as_on_the_page()
    {
        await SeedAsync(Noah);
        var admin = await StaffClient.SignedInAsync(app.Factory, "admin@demo.clinic");

        var rows = Rows(await admin.GetStringAsync($"/admin/audit/export?clientId={Noah}&from=2026-03-05&to=2026-03-06"));

        Assert.Equal([AuditActions.ClientEdit, AuditActions.ChartNoteSave], rows.Select(r => r["Action"]));
    }

    [Fact]
    public async Task Cells_that_a_spreadsheet_would_run_as_formulas_are_written_as_text()
    {
        await SeedAsync(Mia);
        var admin = await StaffClient.SignedInAsync(app.Factory, "admin@demo.clinic");

        var csv = await admin.GetStringAsync($"/admin/audit/export?clientId={Mia}");

        var rows = Rows(csv);
        Assert.Contains(rows, r => r["Details"] == "'=HYPERLINK(\"http://evil.example\",\"Open\")");
        Assert.Contains(rows, r => r["Details"] == "'+1");
        Assert.Contains(rows, r => r["Details"] == "'@SUM(A1:A9)" && r["Staff"] == "'-Mallory");
        Assert.DoesNotContain(rows, r => r.Values.Any(v => v.Length > 0 && "=+-@".Contains(v[0])));
    }

    [Fact]
    public async Task The_export_itself_is_audited_with_its_filter()
    {
        var admin = await StaffClient.SignedInAsync(app.Factory, "admin@demo.clinic");

        (await admin.GetAsync($"/admin/audit/export?action={AuditActions.ChartNoteSave}&clientId={Liam}&from=2026-03-01&to=2026-03-31")).EnsureSuccessStatusCode();

        await using var db = await app.Factory.DbAsync();
        var export = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.AuditExport && a.ClientId == Liam);
        Assert.Equal(("Alex Admin", AuditOutcome.Succeeded), (export.StaffDisplayName, export.Outcome));
        Assert.Equal($"Filter: action {AuditActions.ChartNoteSave}, client {Liam}, from 2026-03-01, to 2026-03-31", export.Details);
    }

    [Fact]
    public async Task The_export_service_itself_refuses_staff_who_are_not_admins()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var export = scope.ServiceProvider.GetRequiredService<AuditExportService>();

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => export.WriteCsvAsync(new AuditSearch(), Staff.FrontDesk, Stream.Null));
    }

    [Fact]
    public async Task Front_desk_staff_get_403()
    {
        var frontDesk = await StaffClient.SignedInAsync(app.Factory, "frontdesk@demo.clinic");

        var response = await frontDesk.GetAsync($"/admin/audit/export?clientId={Emma}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(Emma.ToString(), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        var response = await StaffClient.Anonymous(app.Factory).GetAsync("/admin/audit/export");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in?ReturnUrl=", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData("action=staff.everything", "action must be one of the actions")]
    [InlineData("clientId=-3", "clientId must be a client number")]
    [InlineData("from=04/03/2026", "from must be a date written as 2026-03-04")]
    [InlineData("from=2026-03-09&to=2026-03-01", "from must not be after to")]
    public async Task A_bad_filter_is_refused_with_what_is_wrong(string query, string message)
    {
        var admin = await StaffClient.SignedInAsync(app.Factory, "admin@demo.clinic");

        var response = await admin.GetAsync($"/admin/audit/export?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }
}
