using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PortalApp.Features.IntakeForms;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

/// <summary>axe-core (WCAG 2.1 A and AA rules) on the pages staff and patients use most; any violation fails.</summary>
public sealed class AccessibilityTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static Task AssertAccessibleAsync(IPage page, string name) => Axe.AssertAccessibleAsync(page, name);

    [Fact]
    public async Task The_check_fails_on_an_unlabelled_field_and_on_faint_text()
    {
        var (page, _) = await browser.NewPageAsync();
        await page.SetContentAsync("""
            <!DOCTYPE html><html lang="en"><head><title>Broken page</title></head>
            <body><main><h1>Broken page</h1><input type="text"><p style="color:#bbb;background:#fff">Faint text</p></main></body></html>
            """);

        var failure = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => AssertAccessibleAsync(page, "broken page"));

        Assert.Contains("broken page: label (critical)", failure.Message);
        Assert.Contains("broken page: color-contrast (serious)", failure.Message);
    }

    [Fact]
    public async Task Staff_pages_meet_wcag_2_1_aa()
    {
        var (page, _) = await browser.NewPageAsync();
        await page.GotoAsync("/account/sign-in");
        await AssertAccessibleAsync(page, "staff sign-in");

        await BrowserFixture.SignInAsync(page, "/clients", "admin@demo.clinic");
        await Assertions.Expect(page.Locator("tbody tr").First).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "clients");

        await page.Locator("tbody tr a").First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Details" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "client card");

        await page.GotoAsync("/admin/forms");
        // A link clicked while the page's circuit is still starting can be lost (two CI runs stayed on the list): the
        // live page first, as SignInAsync waits for it.
        await BrowserFixture.WaitForInteractiveAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "PHQ-9" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/forms/[0-9]+$"));
        await Assertions.Expect(page.GetByLabel("Question 1 label")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "form builder");
    }

    [Fact]
    public async Task The_messages_log_and_the_dev_outbox_meet_wcag_2_1_aa()
    {
        var (page, _) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "/messages-log", "admin@demo.clinic");
        await Assertions.Expect(page.GetByLabel("Channel")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "messages log");

        await page.GotoAsync("/dev/outbox");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dev outbox" })).ToBeVisibleAsync();
        await BrowserFixture.WaitForLivePageAsync(page);
        await AssertAccessibleAsync(page, "dev outbox");
    }

    [Fact]
    public async Task Patient_pages_meet_wcag_2_1_aa_at_phone_size()
    {
        var (page, _) = await browser.NewPageAsync(390, 844);
        await page.GotoAsync("/portal/sign-in");
        await AssertAccessibleAsync(page, "patient sign-in");

        await page.GotoAsync($"/register/{PortalApp.Security.SecretTokens.NewToken()}");
        await AssertAccessibleAsync(page, "unusable link");

        var client = await ClientWithEmailAsync();
        var token = await PortalInvites.InviteAsync(browser.Server.Services, client.Id);
        await page.GotoAsync($"/register/{token}");
        await AssertAccessibleAsync(page, "registration");

        await page.GetByLabel("Your date of birth").FillAsync(client.DateOfBirth.ToString("yyyy-MM-dd"));
        await page.GetByLabel("Create a password").FillAsync(PortalForms.PatientPassword);
        await page.GetByLabel("Type the password again").FillAsync(PortalForms.PatientPassword);
        await page.GetByLabel(new System.Text.RegularExpressions.Regex("I accept")).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Your account is ready.")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "portal home");

        await page.GetByRole(AriaRole.Link, new() { Name = "Messages" }).ClickAsync();
        await AssertAccessibleAsync(page, "portal messages");
    }

    [Fact]
    public async Task The_reminder_link_page_meets_wcag_2_1_aa_at_phone_size()
    {
        var client = await Features.Reminders.ReminderTestData.AddClientAsync(browser.Server.DbAsync, "Jane", "Doe", null);
        var appointment = await Features.Reminders.ReminderTestData.BookAsync(browser.Server.DbAsync, client.Id, DateTime.UtcNow.AddDays(3));
        var token = await Features.Reminders.ReminderTestData.IssueLinkAsync(browser.Server.DbAsync, appointment, DateTime.UtcNow);
        var (page, _) = await browser.NewPageAsync(390, 844);

        await page.GotoAsync(PortalApp.Features.Reminders.ReminderLinks.PathPrefix + token);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your appointment" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "appointment link");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("is confirmed");
        await AssertAccessibleAsync(page, "appointment confirmed");
        await page.GotoAsync(PortalApp.Features.Reminders.ReminderLinks.PathPrefix + PortalApp.Security.SecretTokens.NewToken());
        await AssertAccessibleAsync(page, "unusable appointment link");
    }

    [Fact]
    public async Task Replies_to_review_meets_wcag_2_1_aa()
    {
        using (var scope = browser.Server.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<PortalApp.Features.Channels.InboundReplies>()
                .ReceiveSmsAsync("+14165550142", "+14165550199", "CANCEL", "SM" + Guid.NewGuid().ToString("N"));
        var (page, _) = await browser.NewPageAsync();

        await BrowserFixture.SignInAsync(page, "/replies", "frontdesk@demo.clinic");

        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Mark reviewed" }).First).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "replies to review");
    }

    [Fact]
    public async Task The_compare_view_and_a_response_meet_wcag_2_1_aa()
    {
        int clientId, responseId;
        await using (var db = await browser.Server.DbAsync())
        {
            clientId = (await db.Clients.Where(c => c.EndDate == null).OrderBy(c => c.Id).ToListAsync())[6].Id;
            var version = await PortalApp.Tests.Features.IntakeForms.FormSeeds.PublishAsync(db, PortalApp.Tests.Features.IntakeForms.TestForms.EveryType, DateTime.UtcNow.AddDays(-60));
            FormAnswers Answers(string story, string colour) => PortalApp.Tests.Features.IntakeForms.TestForms.Answers(
                ("name", FormAnswer.Of("Ada")), ("story", FormAnswer.Of(story)), ("colour", FormAnswer.Of(colour)), ("staff-note", FormAnswer.Of("Call back")));
            await PortalApp.Tests.Features.IntakeForms.FormSeeds.RespondAsync(db, clientId, version, Answers("My knee hurts on the stairs.", "red"), DateTime.UtcNow.AddDays(-30));
            responseId = (await PortalApp.Tests.Features.IntakeForms.FormSeeds.RespondAsync(db, clientId, version,
                Answers("My left knee hurts on the stairs and at night.", "blue"), DateTime.UtcNow.AddDays(-1))).Id;
        }
        var (page, _) = await browser.NewPageAsync();

        await BrowserFixture.SignInAsync(page, $"/clients/{clientId}/forms/{responseId}/compare", "practitioner@demo.clinic");
        await Assertions.Expect(page.Locator("ins").First).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "compare view");

        await page.GotoAsync($"/clients/{clientId}/forms/{responseId}");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Mark reviewed" })).ToBeVisibleAsync();
        await BrowserFixture.WaitForLivePageAsync(page);
        await AssertAccessibleAsync(page, "response view");
    }

    [Fact]
    public async Task The_reminder_settings_and_a_text_message_template_meet_wcag_2_1_aa()
    {
        var (page, _) = await browser.NewPageAsync();

        await BrowserFixture.SignInAsync(page, "/admin/reminders", "admin@demo.clinic");
        await Assertions.Expect(page.GetByLabel("Reminder 2: how many")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page, "appointment reminders");

        await page.GotoAsync("/admin/templates/new/AppointmentReminderSms");
        await Assertions.Expect(page.GetByTestId("sms-length")).ToBeVisibleAsync();
        await BrowserFixture.WaitForLivePageAsync(page);
        await AssertAccessibleAsync(page, "text message template");
    }

    private async Task<PortalApp.Data.Client> ClientWithEmailAsync()
    {
        await using var db = await browser.Server.DbAsync();
        // Not the first few: other browser tests in this class's server may invite those.
        return (await db.Clients.Where(c => c.Email != null && c.EndDate == null).OrderBy(c => c.Id).ToListAsync())[3];
    }
}
