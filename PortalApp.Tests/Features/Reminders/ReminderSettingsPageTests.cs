using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using PortalApp.Data;
using PortalApp.Features.Reminders;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Reminders;

public sealed class ReminderSettingsPageTests : PortalBunitContext
{
    protected override Task SeedAsync()
    {
        SignInAs(Staff.Admin);
        return Task.CompletedTask;
    }

    private IRenderedComponent<MudTestHost> RenderPage()
    {
        var page = RenderWithProviders<ReminderSettingsPage>();
        page.WaitForAssertion(() => Assert.Equal("Appointment reminders", page.Find("h1").TextContent.Trim()));
        return page;
    }

    /// <summary>The input a visible label names (text fields name theirs with for=; switches wrap theirs).</summary>
    private static IElement Input(IRenderedComponent<MudTestHost> page, string label)
    {
        var element = page.FindAll("label").Single(l => l.TextContent.Trim().TrimEnd('*').Trim() == label);
        return element.GetAttribute("for") is { } id ? page.Find($"#{id}") : element.QuerySelector("input")!;
    }

    private static void Save(IRenderedComponent<MudTestHost> page) => page.FindAll("button").Single(b => b.TextContent.Trim() == "Save settings").Click();

    private async Task<ReminderSettings> StoredAsync()
    {
        await using var db = await Host.DbAsync();
        return await db.ReminderSettings.AsNoTracking().SingleAsync();
    }

    [Fact]
    public void Every_setting_has_a_label_and_the_schedule_reads_as_sentences()
    {
        var page = RenderPage();

        foreach (var label in new[] { "Email", "Text message", "Voice call", "Reminder 1: how many", "Reminder 2: how many", "Quiet hours start", "Quiet hours end",
                     "Don't remind appointments already confirmed", "Patients may cancel online", "Up to how many hours before the appointment",
                     "Say the appointment type in reminders" })
            Assert.NotNull(Input(page, label));
        Assert.Equal(2, page.FindAll("[data-testid=reminder-row]").Count);
        Assert.All(page.FindAll("[data-testid=reminder-row]"), row => Assert.Contains("before the appointment", row.TextContent));
        Assert.Contains("Text message reminders are off above: this one is not sent until they are on.", page.Markup);
        Assert.Equal("21:00", Input(page, "Quiet hours start").GetAttribute("value"));
    }

    [Fact]
    public async Task An_admin_adds_a_third_reminder_turns_texts_on_and_saves()
    {
        var page = RenderPage();

        page.FindAll("button").Single(b => b.TextContent.Trim() == "Add a reminder").Click();
        Assert.True(page.FindAll("button").Single(b => b.TextContent.Trim() == "Add a reminder").HasAttribute("disabled"));
        Input(page, "Reminder 3: how many").Change("3");
        Input(page, "Text message").Change(true);
        Input(page, "Quiet hours end").Change("07:30");
        Save(page);

        page.WaitForAssertion(() => Assert.Contains("Reminder settings saved.", page.Markup));
        var stored = await StoredAsync();
        Assert.Equal(("Email:2880;Sms:1440;Sms:4320", true, 7 * 60 + 30), (stored.Schedule, stored.SmsOn, stored.QuietEndMinute));
    }

    [Fact]
    public async Task Removing_a_reminder_takes_it_out_of_the_schedule()
    {
        var page = RenderPage();

        page.FindAll("button").Single(b => b.GetAttribute("aria-label") == "Remove reminder 1").Click();
        Save(page);

        page.WaitForAssertion(() => Assert.Contains("Reminder settings saved.", page.Markup));
        Assert.Equal("Sms:1440", (await StoredAsync()).Schedule);
    }

    [Fact]
    public async Task A_reminder_too_far_ahead_is_explained_where_it_is_and_nothing_is_saved()
    {
        var page = RenderPage();

        Input(page, "Reminder 1: how many").Change("15");
        Save(page);

        page.WaitForAssertion(() => Assert.Contains("Some settings need fixing: see the messages above.", page.Markup));
        Assert.Contains("From 1 hour to 14 days (336 hours) before the appointment.", page.Find("[data-testid=reminder-row] + p").TextContent);
        Assert.Equal(ReminderSettings.DefaultSchedule, (await StoredAsync()).Schedule);
    }

    [Fact]
    public async Task Saving_over_another_admins_change_says_so_and_keeps_theirs()
    {
        var page = RenderPage();
        await Host.ReminderSettingsAsync(s => s.VoiceOn = true);

        Input(page, "Text message").Change(true);
        Save(page);

        page.WaitForAssertion(() => Assert.Contains("Someone else changed these settings while you were editing.", page.Markup));
        Assert.Equal((false, true), ((await StoredAsync()).SmsOn, (await StoredAsync()).VoiceOn));
    }
}
