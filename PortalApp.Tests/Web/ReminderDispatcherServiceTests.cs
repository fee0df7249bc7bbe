using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Reminders;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Web;

/// <summary>The running app plans and sends reminders by itself, on its own interval: nobody calls the dispatcher.</summary>
public sealed class ReminderDispatcherServiceTests
{
    [Fact]
    public async Task The_app_sends_a_due_reminder_by_itself_and_the_email_goes_out()
    {
        await using var factory = new PortalAppFactory().With("Reminders:PollIntervalSeconds", "5");
        factory.CreateClient().Dispose();
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var events = factory.Services.GetRequiredService<OutboxEvents>();
        int clientId;
        await using (var db = await factory.DbAsync())
        {
            var now = DateTime.UtcNow;
            var client = db.Clients.Add(new Client
            {
                FirstName = "Rita", LastName = "Reminded", DateOfBirth = new DateOnly(1980, 1, 1), Email = "rita.reminded@example.com",
                CreatedAtUtc = now, UpdatedAtUtc = now,
            }).Entity;
            db.Appointments.Add(new Appointment
            {
                Client = client, PractitionerId = await db.Practitioners.Select(p => p.Id).FirstAsync(), AppointmentTypeId = await db.AppointmentTypes.Select(t => t.Id).FirstAsync(),
                StartUtc = now.AddHours(20), EndUtc = now.AddHours(20.5), Location = "Room 3", Status = AppointmentStatus.Booked, CreatedAtUtc = now, UpdatedAtUtc = now,
            });
            // Whatever the hour the test runs at, the reminder is not held until morning.
            var settings = await db.ReminderSettings.SingleAsync();
            (settings.QuietStartMinute, settings.QuietEndMinute) = (0, 0);
            await db.SaveChangesAsync();
            clientId = client.Id;
        }
        events.Changed += change =>
        {
            if (change.ClientId == clientId && change.Status == OutboxStatus.Sent)
                sent.TrySetResult();
        };

        await sent.Task.WaitAsync(TimeSpan.FromSeconds(60));

        await using var check = await factory.DbAsync();
        var message = await check.OutboundMessages.SingleAsync(m => m.ClientId == clientId);
        Assert.Equal((ReminderDispatcher.Kind, MessageChannel.Email), (message.Kind, message.Channel));
        Assert.Equal(ReminderStatus.Sent, (await check.AppointmentReminders.SingleAsync(r => r.ClientId == clientId && r.Channel == MessageChannel.Email)).Status);
    }
}
