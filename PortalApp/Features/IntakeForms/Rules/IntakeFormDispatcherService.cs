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
    ILogger<IntakeFormDispatcherService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var pass = await scope.ServiceProvider.GetRequiredService<FormRuleDispatcher>().ApplyAsync(stoppingToken);
                var reminded = await scope.ServiceProvider.GetRequiredService<FormReminderDispatcher>().RemindDueAsync(stoppingToken);
                if (pass.Sent + pass.Moved + pass.Withdrawn + reminded > 0)
                    logger.LogInformation("Intake forms: {Sent} sent by rules, {Moved} moved, {Withdrawn} withdrawn, {Reminded} patients reminded",
                        pass.Sent, pass.Moved, pass.Withdrawn, reminded);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database failed (disk full, locked, unreachable): keep the service alive and try again next time.
                logger.LogError("Intake form dispatch failed ({ErrorType})", ex.GetType().Name);
            }
            await Task.Delay(interval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
