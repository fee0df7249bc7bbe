using Microsoft.Extensions.Options;

namespace PortalApp.Features.Reminders;

/// <summary>What one pass of the reminder dispatcher did.</summary>
public sealed record ReminderPass(int Planned, int Withdrawn, int Sent, int Skipped);

/// <summary>
/// Appointment reminders, applied to the schedule as it is now, like the intake form rules: bookings, reschedules,
/// cancellations and imports are all handled the same way, and a pass missed while the server was down is made up by
/// the next one.
/// <list type="bullet">
/// <item>Planning (<see cref="ReminderPlanning"/>): each booked upcoming appointment (the first of a back-to-back run)
/// gets a reminder per schedule entry whose channel is on and wanted; a moved or cancelled appointment's unsent ones are
/// withdrawn and the new start's planned.</item>
/// <item>Sending (<see cref="ReminderSender"/>): due reminders are claimed, checked again, and sent at most once, across
/// restarts and instances, or skipped with the reason.</item>
/// </list>
/// </summary>
public sealed class ReminderDispatcher(ReminderPlanning planning, ReminderSender sender)
{
    /// <summary>The Kind of the outbound messages reminders make (the Messages log shows it).</summary>
    public const string Kind = Channels.MessageLabels.AppointmentReminderKind;

    public async Task<ReminderPass> RunOnceAsync(CancellationToken ct = default)
    {
        var plan = await planning.PlanAsync(ct);
        var sent = await sender.SendDueAsync(ct);
        return new ReminderPass(plan.Planned, plan.Withdrawn + sent.Withdrawn, sent.Sent, sent.Skipped);
    }
}

/// <summary>
/// Runs the reminder dispatcher every <see cref="ReminderDispatchOptions.PollIntervalSeconds"/>. The first pass also waits
/// one interval: start-up work (migrations, the demo seed) is done by then, and a reminder is never more than one interval
/// late whatever the start-up did.
/// </summary>
public sealed class ReminderDispatcherService(IServiceScopeFactory scopes, IOptions<ReminderDispatchOptions> options,
    ILogger<ReminderDispatcherService> logger) : Infrastructure.PollingWorker(logger)
{
    protected override string WorkName => "Reminder dispatch";
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);
    protected override bool WaitsBeforeFirstRound => true;

    protected override async Task<bool> RunRoundAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var pass = await scope.ServiceProvider.GetRequiredService<ReminderDispatcher>().RunOnceAsync(ct);
        if (pass.Planned + pass.Withdrawn + pass.Sent + pass.Skipped > 0)
            logger.LogInformation("Reminders: {Planned} planned, {Withdrawn} withdrawn, {Sent} sent, {Skipped} skipped",
                pass.Planned, pass.Withdrawn, pass.Sent, pass.Skipped);
        return false; // one pass plans and sends everything due; the next comes an interval later
    }
}
