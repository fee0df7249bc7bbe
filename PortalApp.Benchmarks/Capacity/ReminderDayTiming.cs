using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Channels;
using PortalApp.Features.Reminders;
using PortalApp.Infrastructure;

namespace PortalApp.Benchmarks.Capacity;

/// <summary>
/// Issue 13's figure: scheduling and dispatching the reminders of a 2,000-appointment day (<see cref="ReminderDay"/>)
/// against a loopback SMTP server and a loopback Twilio, target ≤ 10 s on 2 cores, as a ratio against a bare loop of
/// the same sends (<see cref="BareSends"/>) measured in the same run. The app's part, timed from the first query to
/// the last answer: one <see cref="ReminderDispatcher"/> pass (its two steps timed apart: plan every reminder, then
/// claim, check, compose and enqueue each with its link), then the email outbox (<see cref="OutboxDispatcher"/>, real
/// SMTP) and the text dispatcher (<see cref="TextDispatcher"/>, real HTTP) until nothing is due, both at once as their
/// hosted services run. Each round starts from a fresh database (SQLite file; PostgreSQL database when a server can be had) and checks
/// that every client got exactly one email and one text. A warm-up round per provider is not counted; its messages,
/// kept by the sinks, are what the baseline sends. Rounds alternate which of the two goes first; medians of the rounds.
/// </summary>
public static class ReminderDayTiming
{
    public const double TargetSeconds = 10;

    /// <param name="Cpu">CPU seconds this process used meanwhile (the app, both sinks; not PostgreSQL's server): what an
    /// idle machine would still have to spend, where the wall-clock time also holds the waits for a shared machine's cores.</param>
    private sealed record AppRun(double Plan, double Enqueue, DispatchTimes Dispatch, double Cpu)
    {
        public double Pass => Plan + Enqueue;
        public double Total => Pass + Dispatch.Total;
    }

    private sealed record BareRun(DispatchTimes Sends, double Cpu)
    {
        public double Total => Sends.Total;
    }

    private sealed record Figures(string Provider, List<AppRun> App, List<BareRun> Bare);

    public static async Task RunAsync(int rounds)
    {
        Samples.Header($"reminders-day: {ReminderDay.Appointments:N0} appointments, an email and a text each, {rounds} rounds after a warm-up");
        await using var smtp = await SmtpSink.StartAsync();
        await using var twilio = await TwilioMessagesSink.StartAsync();
        var results = new List<Figures> { await ProviderAsync("SQLite", () => Task.FromResult(new Dictionary<string, string?>()), smtp, twilio, rounds) };
        PostgresServer? postgres = null;
        try
        {
            postgres = await PostgresServer.StartAsync();
            Console.WriteLine($"PostgreSQL: {await postgres.DurabilityAsync()}");
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Console.WriteLine($"PostgreSQL skipped: {ex.Message}");
        }
        if (postgres is not null)
        {
            await using (postgres)
                results.Add(await ProviderAsync("PostgreSQL", async () => new Dictionary<string, string?>
                {
                    ["Database:Provider"] = "PostgreSql", ["ConnectionStrings:Portal"] = await postgres.CreateDatabaseAsync(),
                }, smtp, twilio, rounds));
        }
        Report(results, rounds);
    }

    private static async Task<Figures> ProviderAsync(string provider, Func<Task<Dictionary<string, string?>>> database, SmtpSink smtp, TwilioMessagesSink twilio, int rounds)
    {
        async Task<Dictionary<string, string?>> Settings()
        {
            var settings = await database();
            settings["Email:Transport"] = "Smtp";
            settings["Email:Smtp:Host"] = "127.0.0.1";
            settings["Email:Smtp:Port"] = smtp.Port.ToString();
            settings["Email:Smtp:Security"] = "None";
            foreach (var (key, value) in twilio.Settings)
                settings[key] = value;
            return settings;
        }

        smtp.Keep();
        twilio.Keep();
        var warm = await AppAsync(await Settings(), smtp, twilio);
        var bare = BareSends.From(smtp.TakeKept(), twilio.TakeKept());
        var warmBare = await BareAsync(bare, smtp, twilio);
        Console.WriteLine($"{provider} warm-up: app {warm.Total:F1} s, bare loop {warmBare.Total:F1} s (not counted)");
        var figures = new Figures(provider, [], []);
        for (var round = 1; round <= rounds; round++)
        {
            var load = Samples.Load();
            var settings = await Settings();
            BareRun baseline;
            AppRun app;
            if (round % 2 == 1)
                (baseline, app) = (await BareAsync(bare, smtp, twilio), await AppAsync(settings, smtp, twilio));
            else
                (app, baseline) = (await AppAsync(settings, smtp, twilio), await BareAsync(bare, smtp, twilio));
            figures.App.Add(app);
            figures.Bare.Add(baseline);
            Console.WriteLine($"{provider} round {round} ({load}): app {app.Total:F2} s = reminder pass {app.Pass:F2} s (plan {app.Plan:F2} s, enqueue {app.Enqueue:F2} s) + dispatch {app.Dispatch.Total:F2} s "
                + $"(emails {app.Dispatch.Emails:F2} s, texts {app.Dispatch.Texts:F2} s, at once); bare loop {baseline.Total:F2} s "
                + $"(emails {baseline.Sends.Emails:F2} s, texts {baseline.Sends.Texts:F2} s); ratio {app.Total / baseline.Total:F1}; "
                + $"CPU {app.Cpu:F1} s against {baseline.Cpu:F1} s; "
                + $"{ReminderDay.Appointments:N0} emails and {ReminderDay.Appointments:N0} texts, each client once, both ways");
        }
        return figures;
    }

    /// <summary>A fresh database with the day in it (not timed), then the app's whole part, timed, then the checks.</summary>
    private static async Task<AppRun> AppAsync(Dictionary<string, string?> settings, SmtpSink smtp, TwilioMessagesSink twilio)
    {
        await using var host = await BenchmarkHost.StartAsync(settings);
        await ReminderDay.SeedAsync(host);
        smtp.TakeDelivered();
        twilio.TakeDelivered();

        // ReminderDispatcher.RunOnceAsync's two steps, in its order, timed apart.
        var cpu = Cpu();
        var clock = Stopwatch.StartNew();
        ReminderPlan planned;
        ReminderSendPass enqueued;
        double plan;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            planned = await scope.ServiceProvider.GetRequiredService<ReminderPlanning>().PlanAsync(CancellationToken.None);
            plan = clock.Elapsed.TotalSeconds;
            enqueued = await scope.ServiceProvider.GetRequiredService<ReminderSender>().SendDueAsync(CancellationToken.None);
        }
        var enqueue = clock.Elapsed.TotalSeconds - plan;
        clock.Restart();
        var outbox = host.Services.GetRequiredService<OutboxDispatcher>();
        var texts = host.Services.GetRequiredService<TextDispatcher>();
        var emailsDone = Task.Run(async () =>
        {
            while (await outbox.DispatchDueAsync(CancellationToken.None) > 0) { }
            return clock.Elapsed.TotalSeconds;
        });
        var textsDone = Task.Run(async () =>
        {
            while (await texts.RunOnceAsync(CancellationToken.None) > 0) { }
            return clock.Elapsed.TotalSeconds;
        });
        await Task.WhenAll(emailsDone, textsDone);
        var run = new AppRun(plan, enqueue, new DispatchTimes(await emailsDone, await textsDone, clock.Elapsed.TotalSeconds), Cpu() - cpu);

        var expected = 2 * ReminderDay.Appointments;
        if (planned != new ReminderPlan(expected, 0) || enqueued != new ReminderSendPass(expected, 0, 0))
            throw new InvalidOperationException($"The reminder pass did {planned} and {enqueued}; expected {expected} planned and sent, none withdrawn or skipped.");
        ReminderDay.CheckEachOnce("The app's emails", smtp.TakeDelivered(), ReminderDay.Email);
        ReminderDay.CheckEachOnce("The app's texts", twilio.TakeDelivered(), ReminderDay.Mobile);
        await CheckRecordedAsync(host);
        return run;
    }

    /// <summary>What the app recorded agrees with what arrived: every email and text marked sent (texts with Twilio's SID).</summary>
    private static async Task CheckRecordedAsync(BenchmarkHost host)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var emails = await db.OutboxEmails.CountAsync(e => e.Status == OutboxStatus.Sent);
        var texts = await db.OutboundMessages.CountAsync(m => m.Channel == MessageChannel.Sms && m.Status == OutboundMessageStatus.Sent && m.ProviderMessageId != null);
        var reminders = await db.AppointmentReminders.CountAsync(r => r.Status == ReminderStatus.Sent);
        var (allEmails, allMessages) = (await db.OutboxEmails.CountAsync(), await db.OutboundMessages.CountAsync());
        var n = ReminderDay.Appointments;
        if (emails != n || allEmails != n || texts != n || allMessages != 2 * n || reminders != 2 * n)
            throw new InvalidOperationException($"Recorded: {emails}/{allEmails} emails sent, {texts} texts sent of {allMessages} messages, {reminders} reminders sent; expected {n}, {n}, {2 * n}.");
    }

    private static async Task<BareRun> BareAsync(BareSends bare, SmtpSink smtp, TwilioMessagesSink twilio)
    {
        smtp.TakeDelivered();
        twilio.TakeDelivered();
        var cpu = Cpu();
        var sends = await bare.RunAsync(smtp.Port, twilio.MessagesUrl);
        var times = new BareRun(sends, Cpu() - cpu);
        ReminderDay.CheckEachOnce("The bare loop's emails", smtp.TakeDelivered(), ReminderDay.Email);
        ReminderDay.CheckEachOnce("The bare loop's texts", twilio.TakeDelivered(), ReminderDay.Mobile);
        return times;
    }

    private static void Report(List<Figures> results, int rounds)
    {
        Console.WriteLine();
        Console.WriteLine($"{$"seconds, median of {rounds} rounds",-34} {string.Join("", results.Select(r => $"{r.Provider,12}"))}");
        void Row(string name, Func<Figures, double> value, string format = "F2") =>
            Console.WriteLine($"{name,-34} {string.Join("", results.Select(r => value(r).ToString(format).PadLeft(12)))}");
        Row("reminder pass: plan", r => Samples.Median(r.App.Select(a => a.Plan)));
        Row("reminder pass: enqueue", r => Samples.Median(r.App.Select(a => a.Enqueue)));
        Row("reminder pass, whole", r => Samples.Median(r.App.Select(a => a.Pass)));
        Row("emails to SMTP (outbox)", r => Samples.Median(r.App.Select(a => a.Dispatch.Emails)));
        Row("texts to Twilio (text dispatcher)", r => Samples.Median(r.App.Select(a => a.Dispatch.Texts)));
        Row("app, whole", r => Samples.Median(r.App.Select(a => a.Total)));
        Row("app, CPU seconds", r => Samples.Median(r.App.Select(a => a.Cpu)));
        Row("bare loop: emails (MailKit)", r => Samples.Median(r.Bare.Select(b => b.Sends.Emails)));
        Row("bare loop: texts (HttpClient)", r => Samples.Median(r.Bare.Select(b => b.Sends.Texts)));
        Row("bare loop, whole", r => Samples.Median(r.Bare.Select(b => b.Total)));
        Row("bare loop, CPU seconds", r => Samples.Median(r.Bare.Select(b => b.Cpu)));
        Row("ratio app ÷ bare loop (medians)", r => Samples.Median(r.App.Select(a => a.Total)) / Samples.Median(r.Bare.Select(b => b.Total)), "F1");
        Console.WriteLine($"{$"target ≤ {TargetSeconds:F0} s (app, whole)",-34} {string.Join("", results.Select(r => (Samples.Median(r.App.Select(a => a.Total)) <= TargetSeconds ? "met" : "MISSED").PadLeft(12)))}");
        Console.WriteLine("Each phase's median is of its own rounds: the phases' medians need not add up to the whole's.");
    }

    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}
