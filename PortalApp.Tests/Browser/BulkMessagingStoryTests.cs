using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PortalApp.Data;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

/// <summary>
/// Issue 14's story, with the app's own bulk runner and outbox over real SMTP: the admin shortens the undo window; the
/// front desk picks four patients and sees two of them left out with the reason, previews the flu-clinic email for one,
/// sends a test to herself, types the count and watches the progress bar finish; she opens the report and downloads it;
/// a patient opens the emailed unsubscribe link on a phone and unsubscribes, and her card says so.
/// </summary>
public sealed class BulkMessagingStoryTests(SmtpBrowserFixture browser) : IClassFixture<SmtpBrowserFixture>
{
    private const string Surname = "Quenneville", InesEmail = "ines.quenneville@story.example", OskarEmail = "oskar.quenneville@story.example";

    [Fact]
    public async Task Front_desk_sends_a_promotional_email_to_an_audience_with_exclusions_watches_it_finish_and_a_patient_unsubscribes()
    {
        var ines = await SeedAsync();

        // The admin sets the undo window to 0 so the story need not wait five minutes.
        var (admin, adminErrors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(admin, "/admin/clinic", "admin@demo.clinic");
        await admin.GetByLabel("Bulk messages: undo window (minutes)").FillAsync("0");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(admin.GetByText("Clinic settings saved.")).ToBeVisibleAsync();
        Assert.Empty(adminErrors);

        var (staff, errors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(staff, "/bulk", "frontdesk@demo.clinic");
        await Assertions.Expect(staff).ToHaveTitleAsync(new Regex("^Bulk messaging"));
        await Axe.AssertAccessibleAsync(staff, "bulk messaging list");
        await staff.GetByRole(AriaRole.Link, new() { Name = "New bulk message" }).ClickAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Heading, new() { Name = "New bulk message" })).ToBeVisibleAsync();
        await BrowserFixture.WaitForInteractiveAsync(staff);

        await Assertions.Expect(staff.GetByRole(AriaRole.Radio, new() { Name = "Send now (the clinic has no undo window: it starts at once)" })).ToBeCheckedAsync();
        await staff.GetByLabel("Name of the send").FillAsync("Flu clinic on Saturday");
        await staff.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^Promotional") }).CheckAsync();
        await staff.GetByRole(AriaRole.Radio, new() { NameRegex = new Regex("^Email") }).CheckAsync();
        await staff.GetByLabel("Who gets it").ClickAsync();
        await staff.GetByRole(AriaRole.Option, new() { Name = "Patients picked by hand" }).ClickAsync();
        var addPatient = staff.GetByLabel("Add a patient");
        foreach (var first in new[] { "Ines", "Oskar", "Wren", "Lars" })
        {
            await BrowserFixture.SearchAndPickAsync(addPatient, $"{first} {Surname}",
                staff.GetByRole(AriaRole.Option, new() { NameRegex = new Regex($"^{first} {Surname}") }));
            // The pick's render lists the patient and empties the search box; typing the next name before that is wiped out.
            await Assertions.Expect(staff.GetByRole(AriaRole.Button, new() { Name = $"Remove {first} {Surname}" })).ToBeVisibleAsync();
            await Assertions.Expect(addPatient).ToHaveValueAsync("");
        }
        await staff.GetByRole(AriaRole.Button, new() { Name = "Show audience" }).ClickAsync();

        await Assertions.Expect(staff.GetByText("2 patients will get this message")).ToBeVisibleAsync();
        await Assertions.Expect(staff.GetByText("2 left out")).ToBeVisibleAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Row, new() { NameRegex = new Regex($"Wren {Surname}.*No email address") })).ToBeVisibleAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Row, new() { NameRegex = new Regex($"Lars {Surname}.*No consent to promotional messages") })).ToBeVisibleAsync();

        await staff.GetByLabel("Subject", new() { Exact = true }).FillAsync("Flu shots this Saturday");
        await staff.GetByLabel("Message", new() { Exact = true }).FillAsync("Hello {{ patient.first_name }}, flu shots are on Saturday from 9 to 12.");
        await BrowserFixture.SearchAndPickAsync(staff.GetByLabel("Preview for"), "Oskar",
            staff.GetByRole(AriaRole.Option, new() { NameRegex = new Regex($"^Oskar {Surname}") }));
        await staff.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Assertions.Expect(staff.GetByText($"As Oskar {Surname} will get it:")).ToBeVisibleAsync();
        await Assertions.Expect(staff.Locator("iframe").First.ContentFrame.GetByText("Hello Oskar, flu shots are on Saturday from 9 to 12.")).ToBeVisibleAsync();
        await Assertions.Expect(staff.Locator("iframe").First.ContentFrame.GetByText("Unsubscribe from promotional messages")).ToBeVisibleAsync();
        await Axe.AssertAccessibleAsync(staff, "bulk compose page with its audience and preview");

        await staff.GetByRole(AriaRole.Button, new() { Name = "Send a test to me" }).ClickAsync();
        var test = await browser.Smtp.WaitForMessageToAsync("frontdesk@demo.clinic", TimeSpan.FromSeconds(30));
        Assert.StartsWith("[Test] ", test.Message.Subject);
        Assert.Contains("Hello Oskar,", test.Message.TextBody);

        await staff.EvaluateAsync("() => window.scrollTo(0, 0)");
        await staff.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("70-bulk-compose"), FullPage = true });
        await staff.GetByRole(AriaRole.Button, new() { Name = "Send…" }).ClickAsync();
        var dialog = staff.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("This sends an email to 2 patients. Type 2 to confirm.");
        var confirm = dialog.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true });
        await dialog.GetByLabel("Number of recipients").FillAsync("3");
        await Assertions.Expect(confirm).ToBeDisabledAsync();
        await dialog.GetByLabel("Number of recipients").FillAsync("2");
        await Assertions.Expect(confirm).ToBeEnabledAsync();
        await Axe.AssertAccessibleAsync(staff, "bulk send confirmation");
        await confirm.ClickAsync();

        // The send's page: the progress bar fills live as the runner and the outbox work, and the state says Finished.
        await Assertions.Expect(staff).ToHaveURLAsync(new Regex(@"/bulk/\d+$"));
        await Assertions.Expect(staff.GetByRole(AriaRole.Heading, new() { Name = "Flu clinic on Saturday" })).ToBeVisibleAsync();
        var progress = staff.GetByRole(AriaRole.Progressbar, new() { Name = "2 of 2 processed" });
        await Assertions.Expect(progress).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(staff.GetByTestId("bulk-state")).ToHaveTextAsync("Finished", new() { Timeout = 60_000 });
        var email = await browser.Smtp.WaitForMessageToAsync(InesEmail, TimeSpan.FromSeconds(60));
        await browser.Smtp.WaitForMessageToAsync(OskarEmail, TimeSpan.FromSeconds(60));

        // The report: everyone with their outcome, the left-out with the reason, and a CSV.
        var report = staff.GetByTestId("bulk-report");
        await Assertions.Expect(report.GetByRole(AriaRole.Row, new() { NameRegex = new Regex($"Ines {Surname}.*{Regex.Escape(InesEmail)}") })).ToBeVisibleAsync();
        await Assertions.Expect(report.GetByRole(AriaRole.Row, new() { NameRegex = new Regex($"Wren {Surname}.*No email address") })).ToBeVisibleAsync();
        await Axe.AssertAccessibleAsync(staff, "finished bulk send and its report");
        await staff.EvaluateAsync("() => window.scrollTo(0, 0)");
        await staff.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("71-bulk-send-finished"), FullPage = true });
        var download = await staff.RunAndWaitForDownloadAsync(() => staff.GetByRole(AriaRole.Link, new() { Name = "Download report (CSV)" }).ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains($"Ines {Surname}", csv);
        Assert.Contains("No email address", csv);
        Assert.Empty(errors);

        // Ines unsubscribes from the link at the foot of her email, on a phone.
        Assert.Single(email.Message.To.Mailboxes);
        var link = Regex.Match(email.Message.TextBody ?? "", @"https?://\S+/unsubscribe/[A-Za-z0-9_-]+").Value;
        Assert.NotEmpty(link);
        var (phone, phoneErrors) = await browser.NewPageAsync(390, 844);
        await phone.GotoAsync(new Uri(link).PathAndQuery);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Unsubscribe", Exact = true }).ClickAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "You are unsubscribed" })).ToBeVisibleAsync();
        Assert.Empty(phoneErrors);
        await using (var db = await browser.Server.DbAsync())
            Assert.NotNull((await db.Clients.SingleAsync(c => c.Id == ines)).PromotionalOptOutAtUtc);

        // The report, reloaded, shows her unsubscribe.
        await staff.ReloadAsync();
        await Assertions.Expect(staff.GetByTestId("bulk-report").GetByRole(AriaRole.Row, new() { NameRegex = new Regex($"Ines {Surname}.*Unsubscribed") })).ToBeVisibleAsync();
    }

    /// <summary>Four patients: two with email and consent, one with no email, one with no consent and no visit. Returns Ines's id.</summary>
    private async Task<int> SeedAsync()
    {
        var now = DateTime.UtcNow;
        await using var db = await browser.Server.DbAsync();
        Client Patient(string first, string? email, bool consent) => new()
        {
            FirstName = first, LastName = Surname, DateOfBirth = new DateOnly(1975, 5, 17), Email = email,
            PromotionalConsentAtUtc = consent ? now.AddDays(-30) : null, PromotionalConsentSource = consent ? "Signed the clinic's consent form" : null,
            CreatedAtUtc = now, UpdatedAtUtc = now,
        };
        var ines = db.Clients.Add(Patient("Ines", InesEmail, consent: true)).Entity;
        db.Clients.AddRange(Patient("Oskar", OskarEmail, consent: true), Patient("Wren", null, consent: true), Patient("Lars", "lars.quenneville@story.example", consent: false));
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return ines.Id;
    }
}
