using PortalApp.Features.Audit;
using Bunit;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Audit;

public sealed class AuditPageTests : PortalBunitContext
{
    protected override async Task SeedAsync()
    {
        SignInAs(Staff.Admin);
        await using var db = await Host.DbAsync();
        Host.Get<AuditLog>().Add(db, Staff.FrontDesk, AuditActions.ClientView, 7, AuditOutcome.Succeeded);
        await db.SaveChangesAsync();
    }

    [Fact]
    public void Rows_and_the_action_filter_use_friendly_names()
    {
        var page = RenderWithProviders<AuditPage>();
        page.WaitForAssertion(() => Assert.Contains("Client card viewed", page.Find("tbody tr").TextContent));

        page.Find(".mud-select .mud-input-control").MouseDown();

        page.WaitForAssertion(() =>
        {
            var items = page.FindAll(".mud-list-item").Select(i => i.TextContent.Trim()).ToList();
            Assert.Equal(AuditActions.All.Length, items.Count);
            Assert.Contains("Patient asked for a password reset", items);
            Assert.Contains("Caregiver invite sent", items);
            Assert.DoesNotContain(AuditActions.ClientView, items);
        });
    }

    [Fact]
    public void Export_csv_downloads_the_rows_the_filter_shows()
    {
        var page = RenderWithProviders<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal("/admin/audit/export", page.Find("[data-testid=export-csv]").GetAttribute("href")));
        Assert.True(page.Find("[data-testid=export-csv]").HasAttribute("download"));

        page.Find(".mud-select .mud-input-control").MouseDown();
        page.WaitForAssertion(() => page.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == "Chart note viewed").Click());
        var clientLabel = page.FindAll("label").Single(l => l.TextContent.Trim() == "Client id");
        page.Find($"#{clientLabel.GetAttribute("for")}").Change("42");

        page.WaitForAssertion(() =>
            Assert.Equal($"/admin/audit/export?action={AuditActions.ChartNoteView}&clientId=42", page.Find("[data-testid=export-csv]").GetAttribute("href")));
    }
}
