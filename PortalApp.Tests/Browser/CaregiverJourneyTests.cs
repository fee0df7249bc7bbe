using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PortalApp.Data;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

public sealed class CaregiverJourneyTests(SmtpBrowserFixture browser) : IClassFixture<SmtpBrowserFixture>
{
    private const string Password = "harbor violet quartz meadow";

    [Fact]
    public async Task Staff_invites_a_parent_for_a_child_who_registers_switches_between_records_and_loses_the_child_when_access_ends()
    {
        var (child, parent) = await ChildAndParentAsync();

        // Staff looks up the parent's existing client card on the child's Patient portal tab.
        var (staff, errors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(staff, $"/clients/{child.Id}", "frontdesk@demo.clinic");
        await BrowserFixture.OpenTabAsync(staff, "Patient portal");
        await Assertions.Expect(staff.GetByTestId("no-caregivers")).ToBeVisibleAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "Send caregiver patient portal invite" }).ClickAsync();
        await BrowserFixture.SearchAndPickAsync(staff.GetByLabel("Find the caregiver's client card"), parent.LastName,
            staff.GetByRole(AriaRole.Option, new() { NameRegex = new Regex($"^{parent.FirstName} {parent.LastName}") }));
        await Assertions.Expect(staff.GetByTestId("caregiver-picked")).ToContainTextAsync(parent.Email!);
        await staff.GetByRole(AriaRole.Combobox, new() { Name = "Relationship to the patient" }).ClickAsync();
        await staff.GetByRole(AriaRole.Option, new() { Name = "Parent or guardian" }).ClickAsync();
        await staff.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("16-caregiver-invite-form"), FullPage = true });
        await Axe.AssertAccessibleAsync(staff, "caregiver invite form");

        // The confirmation says who gets which access to whose portal; Cancel sends nothing and keeps the form.
        await staff.GetByTestId("caregiver-send").ClickAsync();
        var summary = staff.GetByTestId("caregiver-confirm-summary");
        await Assertions.Expect(summary).ToContainTextAsync($"{parent.FirstName} {parent.LastName} ({parent.Email}) will get full access (appointments, messages and intake forms) to {child.FirstName} {child.LastName}'s patient portal");
        await staff.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("17-caregiver-confirm") });
        await Axe.AssertAccessibleAsync(staff, "caregiver confirmation");
        await staff.GetByTestId("caregiver-confirm-cancel").ClickAsync();
        await Assertions.Expect(summary).ToBeHiddenAsync();
        await Assertions.Expect(staff.GetByTestId("caregiver-picked")).ToContainTextAsync(parent.Email!);
        await staff.GetByTestId("caregiver-send").ClickAsync();
        await staff.GetByTestId("caregiver-confirm-ok").ClickAsync();
        await Assertions.Expect(staff.GetByTestId("caregiver-status")).ToContainTextAsync("Invited");

        var email = (await browser.Smtp.WaitForMessagesAsync(1)).Single(m => m.EnvelopeTo.Single() == parent.Email);
        Assert.Contains($"{child.FirstName}'s patient portal", email.Message.Subject);
        var path = new Uri(Regex.Match(email.Message.TextBody ?? "", @"https?://\S+/register/[A-Za-z0-9_-]{43}").Value).AbsolutePath;

        // The parent registers on a phone after confirming the child's date of birth.
        var (phone, phoneErrors) = await browser.NewPageAsync(390, 844);
        await phone.GotoAsync(path);
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = $"Access to {child.FirstName}'s portal" })).ToBeVisibleAsync();
        await phone.GetByLabel($"{child.FirstName}'s date of birth").FillAsync(child.DateOfBirth.ToString("yyyy-MM-dd"));
        await phone.GetByLabel("Create a password").FillAsync(Password);
        await phone.GetByLabel("Type the password again").FillAsync(Password);
        await phone.GetByLabel(new Regex("I confirm that I may see")).CheckAsync();
        await phone.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("18-phone-caregiver-register"), FullPage = true });
        await Axe.AssertAccessibleAsync(phone, "caregiver registration");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();

        // The portal opens on the child; the parent's own record is one switch away.
        var viewing = phone.GetByTestId("portal-viewing");
        await Assertions.Expect(viewing).ToContainTextAsync($"Viewing: {child.FirstName} {child.LastName} — your child");
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = $"{child.FirstName} {child.LastName}'s portal" })).ToBeVisibleAsync();
        await phone.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("19-phone-caregiver-viewing-child"), FullPage = true });
        await Axe.AssertAccessibleAsync(phone, "caregiver portal with switcher");
        await phone.GetByLabel("Switch to").SelectOptionAsync(new SelectOptionValue { Label = $"{parent.FirstName} {parent.LastName} — you" });
        await phone.GetByRole(AriaRole.Button, new() { Name = "Switch" }).ClickAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = $"Hello {parent.FirstName}" })).ToBeVisibleAsync();
        await phone.GetByLabel("Switch to").SelectOptionAsync(new SelectOptionValue { Label = $"{child.FirstName} {child.LastName} — your child" });
        await phone.GetByRole(AriaRole.Button, new() { Name = "Switch" }).ClickAsync();
        await Assertions.Expect(viewing).ToContainTextAsync($"Viewing: {child.FirstName} {child.LastName}");

        // Staff sees the access active, and ends it.
        await staff.ReloadAsync();
        await BrowserFixture.WaitForInteractiveAsync(staff);
        await BrowserFixture.OpenTabAsync(staff, "Patient portal");
        await Assertions.Expect(staff.GetByTestId("caregiver-status")).ToContainTextAsync("Active");
        await staff.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("20-staff-caregiver-active"), FullPage = true });
        await Axe.AssertAccessibleAsync(staff, "caregiver list");
        await staff.GetByRole(AriaRole.Button, new() { Name = "End access" }).ClickAsync();
        await staff.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "End access" }).ClickAsync();
        await Assertions.Expect(staff.GetByTestId("caregiver-status")).ToContainTextAsync("Ended");

        // The child's page, still open on the phone, says so by itself; the next page has only the parent's own record.
        await Assertions.Expect(phone.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your access to this person's portal has ended.", new() { Timeout = 30_000 });
        await phone.GetByRole(AriaRole.Link, new() { Name = "Go to your portal home" }).ClickAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = $"Hello {parent.FirstName}" })).ToBeVisibleAsync();
        await Assertions.Expect(viewing).ToHaveCountAsync(0);
        await phone.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("21-phone-caregiver-after-end"), FullPage = true });
        Assert.Empty(errors);
        Assert.Empty(phoneErrors);
    }

    private async Task<(Client Child, Client Parent)> ChildAndParentAsync()
    {
        // This class has its own server and database, and the demo data has no Riveras: the names can stay plain.
        await using var db = await browser.Server.DbAsync();
        var now = DateTime.UtcNow;
        var child = db.Clients.Add(new Client
        {
            FirstName = "Lily", LastName = "Rivera", DateOfBirth = new DateOnly(2016, 6, 2), CreatedAtUtc = now, UpdatedAtUtc = now,
        }).Entity;
        var parent = db.Clients.Add(new Client
        {
            FirstName = "Maya", LastName = "Rivera", DateOfBirth = new DateOnly(1985, 9, 21), Email = "maya.rivera@example.com",
            CreatedAtUtc = now, UpdatedAtUtc = now,
        }).Entity;
        await db.SaveChangesAsync();
        return (child, parent);
    }
}
