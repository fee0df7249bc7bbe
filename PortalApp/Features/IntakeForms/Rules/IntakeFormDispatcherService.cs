using Microsoft.Extensions.Options;

namespace PortalApp.Features.IntakeForms.Rules;

public sealed class IntakeFormDispatchOptions
{
    public const string Section = "IntakeForms";

    /// <summary>How often the rules by appointment type and the form reminders are applied.</summary>
    [System.ComponentModel.DataAnnotations.Range(5, 3600)]
    public int PollIntervalSeconds { get; set; } = 60;
}

/// <summary>
/// Applies the rules by appointment type and sends due form reminders, at start-up and then on a timer. Every pass
/// reads the schedule as it stands, so a booking, a reschedule or a cancellation is acted on within one interval,
/// whichever page, import or instance made it.
/// </summary>
public sealed class IntakeFormDispatcherService(IServiceScopeFactory scopes, IOptions<IntakeFormDispatchOptions> options,
    ILogger<IntakeFormDispatcherService> logger) : Infrastructure.PollingWorker(logger)
{
    protected override string WorkName => "Intake form dispatch";
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);

    protected override async Task<bool> RunRoundAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var pass = await scope.ServiceProvider.GetRequiredService<FormRuleDispatcher>().ApplyAsync(ct);
        var reminded = await scope.ServiceProvider.GetRequiredService<FormReminderDispatcher>().RemindDueAsync(ct);
        if (pass.Sent + pass.Moved + pass.Withdrawn + reminded > 0)
            logger.LogInformation("Intake forms: {Sent} sent by rules, {Moved} moved, {Withdrawn} withdrawn, {Reminded} patients reminded",
                pass.Sent, pass.Moved, pass.Withdrawn, reminded);
        return false; // one pass applies everything due; the next comes an interval later
    }
}
