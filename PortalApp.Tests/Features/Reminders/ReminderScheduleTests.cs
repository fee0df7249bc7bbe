using PortalApp.Data;
using PortalApp.Features.Reminders;

namespace PortalApp.Tests.Features.Reminders;

public sealed class ReminderScheduleTests
{
    [Fact]
    public void The_default_schedule_reads_as_an_email_two_days_and_a_text_one_day_before()
    {
        var ok = Assert.IsType<ReminderScheduleParse.Ok>(ReminderSchedule.Parse(ReminderSettings.DefaultSchedule));

        Assert.Equal([new ReminderScheduleEntry(MessageChannel.Email, 2880), new ReminderScheduleEntry(MessageChannel.Sms, 1440)], ok.Entries);
        Assert.Equal(["Email 2 days before", "Text message 1 day before"], ok.Entries.Select(ReminderSchedule.Describe));
        Assert.Equal(ReminderSettings.DefaultSchedule, ReminderSchedule.Format(ok.Entries));
    }

    [Fact]
    public void An_empty_schedule_is_no_reminders()
    {
        Assert.Empty(Assert.IsType<ReminderScheduleParse.Ok>(ReminderSchedule.Parse("")).Entries);
        Assert.Equal("", ReminderSchedule.Format([]));
    }

    [Theory]
    [InlineData("Email:2880;Sms:1440;Voice:120;Email:60", "A clinic can send at most 3 reminders per appointment.")]
    [InlineData("Sms:59", "Reminder 1: a reminder goes from 1 hour to 14 days before the appointment.")]
    [InlineData("Email:2880;Voice:20161", "Reminder 2: a reminder goes from 1 hour to 14 days before the appointment.")]
    [InlineData("Sms:1440;Sms:1440", "Reminder 2 is the same as an earlier one (Text message 1 day before): remove one of them.")]
    [InlineData("Fax:60", "“Fax:60” is not a reminder: write a channel (Email, Sms or Voice), a colon and the minutes before, like Email:2880.")]
    [InlineData("Email:-60", "“Email:-60” is not a reminder: write a channel (Email, Sms or Voice), a colon and the minutes before, like Email:2880.")]
    [InlineData("Email", "“Email” is not a reminder: write a channel (Email, Sms or Voice), a colon and the minutes before, like Email:2880.")]
    [InlineData("3:60", "“3:60” is not a reminder: write a channel (Email, Sms or Voice), a colon and the minutes before, like Email:2880.")]
    public void A_schedule_outside_the_rules_is_refused_with_what_to_fix(string text, string problem) =>
        Assert.Equal(problem, Assert.IsType<ReminderScheduleParse.Invalid>(ReminderSchedule.Parse(text)).Problem);

    [Fact]
    public void The_bounds_themselves_are_allowed_and_one_channel_may_go_twice_at_different_times()
    {
        var ok = Assert.IsType<ReminderScheduleParse.Ok>(ReminderSchedule.Parse("Sms:60;Email:20160;Sms:1440"));

        Assert.Equal(["Text message 1 hour before", "Email 14 days before", "Text message 1 day before"], ok.Entries.Select(ReminderSchedule.Describe));
    }

    [Fact]
    public void Text_longer_than_the_column_is_refused_before_it_is_split() =>
        Assert.Equal("The reminder schedule can be at most 200 characters.",
            Assert.IsType<ReminderScheduleParse.Invalid>(ReminderSchedule.Parse(string.Join(';', Enumerable.Repeat("Email:60", 30)))).Problem);
}
