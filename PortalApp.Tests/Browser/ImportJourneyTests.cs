using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

public sealed class ImportJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_uploads_the_clinic_file_maps_it_dry_runs_it_and_imports_the_valid_rows()
    {
        var (page, errors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "/clients", "admin@demo.clinic");
        await page.GetByRole(AriaRole.Link, new() { Name = "Import & export" }).ClickAsync();
        await Assertions.Expect(page).ToHaveTitleAsync("Import & export");
        await Assertions.Expect(page.GetByText("A CSV file of at most 20 MB")).ToBeVisibleAsync();

        var file = ClinicCsv.WindowsClients();
        await BrowserFixture.PickFileAsync(page.GetByLabel("CSV file (at most 20 MB)"), new FilePayload { Name = "clinic.csv", MimeType = "text/csv", Buffer = file.Bytes });
        await Assertions.Expect(page.GetByTestId("file-summary")).ToHaveTextAsync("clinic.csv: 200 rows, read as Windows-1252.");
        // Matched from the French headers; staff can change any drop-down.
        await Assertions.Expect(page.GetByLabel("First name *")).ToHaveValueAsync("1");
        await Assertions.Expect(page.GetByLabel("Client ID", new() { Exact = true })).ToHaveValueAsync("0");
        await page.GetByLabel("Preferred language").SelectOptionAsync(new SelectOptionValue { Label = "Not in the file" });
        await Axe.AssertAccessibleAsync(page, "import mapping");

        await page.GetByRole(AriaRole.Button, new() { Name = "Check the file (dry run)" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("dry-run-counts")).ToHaveTextAsync("200 rows: 196 to create, 0 to update, 0 unchanged, 4 refused.");
        await Assertions.Expect(page.GetByTestId("refused-rows").Locator("tbody tr")).ToHaveCountAsync(4);
        await Assertions.Expect(page.GetByTestId("refused-rows").Locator("tbody tr").First).ToContainTextAsync("18");
        var import = page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true });
        await Assertions.Expect(import).ToBeDisabledAsync();
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("import-dry-run"), FullPage = true });
        await Axe.AssertAccessibleAsync(page, "import dry run");

        await page.GetByLabel("Import the valid rows (skip the refused ones)").CheckAsync();
        await import.ClickAsync();
        var job = page.GetByTestId("import-job");
        await Assertions.Expect(job).ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = 30_000 });
        await Assertions.Expect(job.GetByRole(AriaRole.Progressbar)).ToHaveAttributeAsync("aria-valuenow", "100");
        await Assertions.Expect(job).ToContainTextAsync("Finished: 196 created, 0 updated, 0 unchanged, 4 refused and skipped.");
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("import-finished"), FullPage = true });
        await Axe.AssertAccessibleAsync(page, "import finished");

        // Leaving and coming back finds the job again.
        await page.ReloadAsync();
        await BrowserFixture.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("import-job")).ToHaveAttributeAsync("data-status", "Succeeded");

        await using var db = await browser.Server.DbAsync();
        var francois = await db.Clients.SingleAsync(c => c.ExternalId == "CHART-0001", TestContext.Current.CancellationToken);
        Assert.Equal(("François", "Côté", "Montréal"), (francois.FirstName, francois.LastName, francois.City));

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export clients" }).ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!, TestContext.Current.CancellationToken);
        Assert.StartsWith("Client ID,First name,Last name,Preferred name,Date of birth", csv);
        Assert.Contains("CHART-0001,François,Côté,", csv);
        Assert.Empty(errors);
    }
}
