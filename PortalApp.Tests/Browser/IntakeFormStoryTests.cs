using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PortalApp.Data;
using PortalApp.Features.Clinic;
using PortalApp.Features.IntakeForms;
using PortalApp.Tests.Features.IntakeForms;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Browser;

/// <summary>
/// Issue 12's story at phone size: staff send a form linked to the patient's next visit; the patient fills in half,
/// leaves, comes back to the draft and submits; staff compare it with the answer from last spring, see what changed
/// highlighted, and download the PDF. axe checks the patient's form and the compare view.
/// </summary>
public sealed class IntakeFormStoryTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string EarlierFeeling = "I feel well most days but my knee hurts when I climb the stairs at home.";
    private const string NewFeeling = "I feel well most days but my left knee hurts when I walk to the shops.";

    private static FormDefinition CheckIn => new("Story check-in", null,
    [
        new FormItem
        {
            LinkId = "you", Type = FormItemType.Group, Text = "About you",
            Items =
            [
                TestForms.Item("feeling", FormItemType.Text, "How are you feeling?"),
                TestForms.Item("weight", FormItemType.Decimal, "Weight in kg"),
            ],
        },
        new FormItem
        {
            LinkId = "sleep-section", Type = FormItemType.Group, Text = "Sleep",
            Items = [TestForms.Item("sleep", FormItemType.Integer, "Hours of sleep a night", required: true)],
        },
    ]);

    [Fact]
    public async Task An_admin_drags_a_question_by_its_handle_onto_another_and_it_takes_that_place()
    {
        // Tall enough to hold three of the builder's questions: the drop lands where the pointer is let go on screen.
        var (page, errors) = await browser.NewPageAsync(1366, 2600);
        await BrowserFixture.SignInAsync(page, "/admin/forms", "admin@demo.clinic");
        await page.GetByRole(AriaRole.Link, new() { Name = "PHQ-9" }).ClickAsync();
        await Assertions.Expect(page.Locator(".form-builder[data-drag-ready]")).ToHaveCountAsync(1);
        var first = await page.GetByLabel("Question 1 label").InputValueAsync();
        var third = await page.GetByLabel("Question 3 label").InputValueAsync();
        var handle = page.Locator("[data-drag]").Nth(1); // 0 is the section's own handle
        var target = page.Locator($"[data-drop='{await page.Locator("[data-drop]").Nth(3).GetAttributeAsync("data-drop")}'] .mud-paper").First;

        var from = (await handle.BoundingBoxAsync())!;
        var to = (await target.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(from.X + from.Width / 2, from.Y + from.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(to.X + to.Width / 2, to.Y + 10, new() { Steps = 8 });
        await Assertions.Expect(page.Locator(".builder-drop-target")).ToHaveCountAsync(1);
        await page.Mouse.UpAsync();

        await Assertions.Expect(page.GetByTestId("builder-announcement")).ToContainTextAsync($"Moved {first}");
        await Assertions.Expect(page.GetByLabel("Question 3 label")).ToHaveValueAsync(first);
        await Assertions.Expect(page.GetByLabel("Question 2 label")).ToHaveValueAsync(third);
        await Assertions.Expect(page.Locator(".builder-drop-target")).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Staff_send_a_form_the_patient_finishes_it_later_on_a_phone_and_staff_compare_and_download_it()
    {
        using var socket = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(browser.Server.BaseUrl) };
        var (noraId, noraEmail) = await PortalForms.RegisteredPatientAsync(browser.Server, socket);
        var visitStart = await SeedAsync(noraId);

        // The front desk sends the form from the Patient messaging tab, linked to next week's visit.
        var (staff, staffErrors) = await browser.NewPageAsync();
        await BrowserFixture.SignInAsync(staff, $"/clients/{noraId}", "frontdesk@demo.clinic");
        await BrowserFixture.OpenTabAsync(staff, "Patient messaging");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Send intake form" }).ClickAsync();
        await staff.GetByRole(AriaRole.Combobox, new() { Name = "Link to appointment" }).ClickAsync();
        await staff.GetByRole(AriaRole.Option, new() { NameRegex = new Regex("Story visit") }).ClickAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Listbox)).ToHaveCountAsync(0);
        await staff.GetByRole(AriaRole.Combobox, new() { Name = "Forms to send" }).ClickAsync();
        await staff.GetByRole(AriaRole.Option, new() { NameRegex = new Regex("^Story check-in") }).ClickAsync();
        // A multiple choice stays open for more picks: a click beside it closes it, as a person does.
        await staff.GetByRole(AriaRole.Heading, new() { Name = "Send intake form" }).ClickAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Listbox)).ToHaveCountAsync(0);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Assertions.Expect(staff.GetByTestId("intake-preview")).ToContainTextAsync("Story check-in");
        await staff.GetByTestId("intake-send").ClickAsync();
        await Assertions.Expect(staff.GetByTestId("intake-form-panel")).ToHaveCountAsync(0);

        // The patient, on a phone, finds the answer from last time filled in, changes it, and leaves after the first section.
        var (phone, phoneErrors) = await browser.NewPageAsync(390, 844);
        await phone.GotoAsync("/portal/sign-in");
        await phone.GetByLabel("Email").FillAsync(noraEmail);
        await phone.GetByLabel("Password").FillAsync(PortalForms.PatientPassword);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await phone.GotoAsync("/portal/forms");
        await phone.GetByRole(AriaRole.Link, new() { Name = "Story check-in" }).ClickAsync();
        await Assertions.Expect(phone.GetByText("Section 1 of 2")).ToBeVisibleAsync();
        var feeling = phone.GetByLabel("How are you feeling?");
        await Assertions.Expect(feeling).ToHaveValueAsync(EarlierFeeling);
        await Assertions.Expect(phone.GetByText(new Regex("^From your answer of"))).ToHaveCountAsync(2);
        await Axe.AssertAccessibleAsync(phone, "patient intake form at phone size");
        await feeling.FillAsync(NewFeeling);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(phone.GetByText("Section 2 of 2")).ToBeVisibleAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "Save and finish later" }).ClickAsync();

        // Later: the draft waits in the list with the time it was saved, and keeps the new answer.
        await phone.GotoAsync("/portal/forms");
        await Assertions.Expect(phone.Locator("[data-status=Draft]")).ToContainTextAsync("Saved");
        await phone.GetByRole(AriaRole.Link, new() { Name = "Story check-in" }).ClickAsync();
        await Assertions.Expect(phone.GetByLabel("How are you feeling?")).ToHaveValueAsync(NewFeeling);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(phone.GetByLabel("Hours of sleep a night")).ToHaveValueAsync("6");
        await phone.GetByLabel("Hours of sleep a night").FillAsync("7");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Review and submit" }).ClickAsync();
        await Assertions.Expect(phone.GetByText("Check your answers.")).ToBeVisibleAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Assertions.Expect(phone.GetByRole(AriaRole.Status).First).ToContainTextAsync("Thank you. Your form is sent.");
        await phone.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("50-phone-intake-form-sent"), FullPage = true });

        // Staff open the response from the Intake forms tab and compare it with last spring's.
        await staff.GotoAsync($"/clients/{noraId}");
        await BrowserFixture.WaitForInteractiveAsync(staff);
        await BrowserFixture.OpenTabAsync(staff, "Intake forms");
        int responseId;
        await using (var db = await browser.Server.DbAsync())
            responseId = await db.FormResponses.Where(r => r.ClientId == noraId).OrderByDescending(r => r.Id).Select(r => r.Id).FirstAsync(TestContext.Current.CancellationToken);
        await staff.Locator($"a[href='/clients/{noraId}/forms/{responseId}'][aria-label^='Open Story check-in']").ClickAsync();
        await staff.GetByRole(AriaRole.Link, new() { Name = "Compare with previous" }).ClickAsync();
        await BrowserFixture.WaitForInteractiveAsync(staff);
        var changedRow = staff.Locator("tr[data-link-id=feeling]");
        await Assertions.Expect(changedRow).ToContainTextAsync("Changed");
        await Assertions.Expect(changedRow.Locator("ins")).ToHaveTextAsync(["left", "walk to", "shops"]);
        await Assertions.Expect(changedRow.Locator("del").First).ToContainTextAsync("climb");
        await Assertions.Expect(staff.Locator("tr[data-link-id=weight]")).Not.ToContainTextAsync("Changed");
        await Axe.AssertAccessibleAsync(staff, "compare view");
        await staff.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("51-intake-compare"), FullPage = true });

        // The PDF made at submission downloads with the staff member's session.
        await staff.GoBackAsync();
        var pdfLink = await staff.GetByTestId("download-pdf").GetAttributeAsync("href");
        var pdf = await staff.Context.APIRequest.GetAsync(pdfLink!);
        Assert.Equal(200, pdf.Status);
        Assert.Equal("application/pdf", pdf.Headers["content-type"]);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString((await pdf.BodyAsync())[..5]));

        await using var check = await browser.Server.DbAsync();
        var assignment = await check.FormAssignments.SingleAsync(a => a.ClientId == noraId, TestContext.Current.CancellationToken);
        Assert.Equal((FormAssignmentStatus.Submitted, visitStart, null), (assignment.Status, assignment.DueAtUtc, assignment.NextReminderAtUtc));
        Assert.True(staffErrors.Count == 0, string.Join("\n", staffErrors));
        Assert.Empty(phoneErrors);
    }

    /// <summary>The form, the patient's answer to it from last spring, and a visit next week.</summary>
    private async Task<DateTime> SeedAsync(int clientId)
    {
        await using var db = await browser.Server.DbAsync();
        var now = browser.Server.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var version = await FormSeeds.PublishAsync(db, CheckIn, now.AddMonths(-6));
        await FormSeeds.RespondAsync(db, clientId, version, TestForms.Answers(
            ("feeling", FormAnswer.Of(EarlierFeeling)), ("weight", FormAnswer.Of("70.5")), ("sleep", FormAnswer.Of("6"))), now.AddMonths(-3));
        var practitioner = db.Practitioners.Add(new Practitioner { DisplayName = "Dr. Forms", Colour = "#2E7D32" }).Entity;
        var type = db.AppointmentTypes.Add(new AppointmentType { Name = "Story visit", DefaultLengthMinutes = 30 }).Entity;
        var start = now.Date.AddDays(7).AddHours(14);
        db.Appointments.Add(new Appointment
        {
            ClientId = clientId, Practitioner = practitioner, AppointmentType = type, StartUtc = start, EndUtc = start.AddMinutes(30),
            Location = "Room 1", Status = AppointmentStatus.Booked, CreatedAtUtc = now, UpdatedAtUtc = now,
        });
        await db.SaveChangesAsync();
        return start;
    }
}
