using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Bulk;
using PortalApp.Features.Clinic;
using PortalApp.Features.Templates;

namespace PortalApp.Benchmarks.Capacity;

/// <summary>
/// Issue 14's figure: a bulk email to 10,000 patients, from the bulk runner's first round until the loopback SMTP sink
/// (<see cref="SmtpSink"/>) has all 10,000, target ≤ 5 s on 2 cores and ≤ 2× a bare MailKit loop sending the same
/// messages over one connection to the same sink, measured in the same run. The app's part: <see cref="BulkRunner"/>
/// rounds back to back (as its hosted service runs them while full batches go) and, at the same time, the outbox
/// (<see cref="OutboxDispatcher"/>), woken by the runner's commits as in production. Settings are the defaults except
/// Bulk:EmailsPerSecond, raised so the throttle is not what is measured. Each round starts from a fresh SQLite file
/// (PostgreSQL too when a server can be had): 10,000 patients, one send created through <see cref="BulkSendService"/>
/// (not timed), the clock moved past the undo window. Care and Promotional (which adds an unsubscribe token per patient,
/// encrypted in the outbox, and the RFC 8058 headers). A warm-up round per case is not counted; its messages, kept by
/// the sink, are what the baseline sends. Rounds alternate which goes first; medians of the rounds. One more round per
/// case, not counted, runs the runner to its end before the outbox starts: what each costs alone.
/// </summary>
public static class BulkEmailTiming
{
    public const int Patients = 10_000;
    public const double TargetSeconds = 5, TargetRatio = 2;
    public const string Subject = "Our new hours from {{ clinic.name }}", Body =
        "Hello {{ patient.first_name }},\n\nFrom **1 March** we open at 7:30 on weekdays and until 14:00 on Saturdays.\n\n" +
        "Book online or call us at {{ clinic.phone }}.\n\n- The team at {{ clinic.name }}";

    private static string Email(int i) => $"patient{i:D5}@example.com";

    /// <param name="Runner">Runner rounds, from the first until every recipient is handed on and the send finished.</param>
    /// <param name="Sent">From the same start until the sink has every email: the figure.</param>
    /// <param name="SentByRunnerDone">Emails at the sink when the runner was done: how far the outbox kept up while both ran.</param>
    /// <param name="Compose">The same 10,000 emails composed alone by <see cref="BulkComposer"/>, after the round: what rendering costs.</param>
    private sealed record AppRun(double Sent, double Runner, int SentByRunnerDone, double RunnerDb, double RunnerBegin, double Compose, double DispatcherDb, double DispatcherBegin,
        double Smtp, long Connections, double Cpu);

    private sealed record BareRun(double Sent, double Cpu);

    private sealed record Case(string Provider, BulkPurpose Purpose, string Tuning, List<AppRun> App, List<BareRun> Bare)
    {
        /// <summary>One more round, runner then outbox, each alone, with a bare loop just before it.</summary>
        public (AppRun App, BareRun Bare)? Split { get; set; }

        public string Name => $"{Provider}, {Purpose}{Tuning}";
    }

    public static async Task RunAsync(int rounds)
    {
        Samples.Header($"bulk-email: {Patients:N0} patients, one email each, {rounds} rounds after a warm-up; Bulk:EmailsPerSecond 100000 (the throttle is not the limit)");
        await using var smtp = await SmtpSink.StartAsync();
        using var probes = new BulkEmailProbes();
        var cases = new List<Case>();
        foreach (var purpose in new[] { BulkPurpose.Care, BulkPurpose.Promotional })
            cases.Add(await CaseAsync("SQLite", purpose, () => Task.FromResult(new Dictionary<string, string?>()), smtp, probes, rounds));
        // The defaults claim 50 outbox emails at a time, each claim on a new SMTP connection; BENCH_OUTBOX_BATCH=500 tries larger claims.
        if (Environment.GetEnvironmentVariable("BENCH_OUTBOX_BATCH") == "500")
            cases.Add(await CaseAsync("SQLite", BulkPurpose.Care, () => Task.FromResult(new Dictionary<string, string?> { ["Outbox:BatchSize"] = "500" }),
            smtp, probes, rounds, ", outbox batch 500"));
        if (Environment.GetEnvironmentVariable("BENCH_POSTGRES") == "1") // optional: a PostgreSQL round adds minutes
        {
            await using var postgres = await PostgresServer.StartAsync();
            Console.WriteLine($"PostgreSQL: {await postgres.DurabilityAsync()}");
            cases.Add(await CaseAsync("PostgreSQL", BulkPurpose.Care, async () => new Dictionary<string, string?>
            {
                ["Database:Provider"] = "PostgreSql", ["ConnectionStrings:Portal"] = await postgres.CreateDatabaseAsync(),
            }, smtp, probes, rounds));
        }
        Report(cases, rounds);
    }

    private static async Task<Case> CaseAsync(string provider, BulkPurpose purpose, Func<Task<Dictionary<string, string?>>> database, SmtpSink smtp,
        BulkEmailProbes probes, int rounds, string tuning = "")
    {
        async Task<Dictionary<string, string?>> Settings()
        {
            var settings = await database();
            settings["Email:Transport"] = "Smtp";
            settings["Email:Smtp:Host"] = "127.0.0.1";
            settings["Email:Smtp:Port"] = smtp.Port.ToString();
            settings["Email:Smtp:Security"] = "None";
            settings["Bulk:EmailsPerSecond"] = "100000";
            return settings;
        }

        var figures = new Case(provider, purpose, tuning, [], []);
        smtp.Keep();
        var warm = await AppAsync(await Settings(), purpose, smtp, probes);
        var bare = BareSends.From(smtp.TakeKept(), []);
        var warmBare = await BareAsync(bare, smtp);
        Console.WriteLine($"{figures.Name} warm-up: app {warm.Sent:F2} s, bare loop {warmBare.Sent:F2} s (not counted)");
        for (var round = 1; round <= rounds; round++)
        {
            var load = Samples.Load();
            var settings = await Settings();
            AppRun app;
            BareRun baseline;
            if (round % 2 == 1)
                (baseline, app) = (await BareAsync(bare, smtp), await AppAsync(settings, purpose, smtp, probes));
            else
                (app, baseline) = (await AppAsync(settings, purpose, smtp, probes), await BareAsync(bare, smtp));
            figures.App.Add(app);
            figures.Bare.Add(baseline);
            Console.WriteLine($"{figures.Name} round {round} ({load}): app {app.Sent:F2} s (runner done at {app.Runner:F2} s with {app.SentByRunnerDone:N0} emails at the sink, its database {app.RunnerDb:F2} s of which BEGIN {app.RunnerBegin:F2} s; "
                + $"outbox database {app.DispatcherDb:F2} s of which BEGIN {app.DispatcherBegin:F2} s, SMTP {app.Smtp:F2} s over {app.Connections} connections; compose alone {app.Compose:F2} s; CPU {app.Cpu:F1} s); "
                + $"bare loop {baseline.Sent:F2} s (CPU {baseline.Cpu:F1} s); ratio {app.Sent / baseline.Sent:F2}; {Patients:N0} emails, each patient once, both ways");
        }
        var splitBare = await BareAsync(bare, smtp);
        var split = await AppAsync(await Settings(), purpose, smtp, probes, split: true);
        figures.Split = (split, splitBare);
        Console.WriteLine($"{figures.Name} one after the other (not counted): runner alone {split.Runner:F2} s, then outbox alone {split.Sent - split.Runner:F2} s "
            + $"(CPU {split.Cpu:F1} s in all); bare loop {splitBare.Sent:F2} s; outbox alone ÷ bare {(split.Sent - split.Runner) / splitBare.Sent:F2}");
        return figures;
    }

    /// <summary>A fresh database with the patients and the send in it (not timed), then the app's part, timed, then the checks.</summary>
    /// <param name="split">
    /// The runner first, to its end, and only then the outbox: each one's time alone (<see cref="AppRun.Runner"/>, and
    /// <see cref="AppRun.Sent"/> less it), where the rest of the time goes. Not counted in the figure.
    /// </param>
    private static async Task<AppRun> AppAsync(Dictionary<string, string?> settings, BulkPurpose purpose, SmtpSink smtp, BulkEmailProbes probes, bool split = false)
    {
        var clock = new ShiftedClock();
        await using var host = await BenchmarkHost.StartAsync(settings, services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            var transport = services.Last(d => d.ServiceType == typeof(IEmailTransport));
            services.AddSingleton(sp => probes.Wrap((IEmailTransport)transport.ImplementationFactory!(sp)));
        });
        var sendId = await SeedAsync(host, purpose, clock);
        smtp.TakeDelivered();
        var received = smtp.Received;
        probes.Reset();

        var cpu = Cpu();
        var watch = Stopwatch.StartNew();
        var runner = Task.Run(async () =>
        {
            BulkEmailProbes.Enter(BulkLoop.Runner);
            while (await RunnerRoundAsync(host) || !await FinishedAsync(host, sendId)) { }
            return (watch.Elapsed.TotalSeconds, smtp.Received - received);
        });
        if (split)
            await runner;
        var dispatcher = Task.Run(async () =>
        {
            BulkEmailProbes.Enter(BulkLoop.Dispatcher);
            var outbox = host.Services.GetRequiredService<OutboxDispatcher>();
            var signal = host.Services.GetRequiredService<OutboxSignal>();
            while (smtp.Received - received < Patients)
            {
                // As OutboxDispatcherService: drain what is due, then sleep until the runner's next commit wakes it.
                if (await outbox.DispatchDueAsync(CancellationToken.None) == 0 && !runner.IsFaulted)
                    await signal.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
                if (runner.IsFaulted)
                    await runner;
            }
            return watch.Elapsed.TotalSeconds;
        });
        var sent = await dispatcher;
        var (runnerDone, sentByRunnerDone) = await runner;
        if (Environment.GetEnvironmentVariable("BENCH_PERF_WINDOW") == "1") // for `perf report --time`: CLOCK_MONOTONIC seconds
            Console.WriteLine($"perf window: {(Stopwatch.GetTimestamp() - watch.Elapsed.Ticks * (Stopwatch.Frequency / TimeSpan.TicksPerSecond)) / (double)Stopwatch.Frequency:F6},{Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency:F6}");
        var (cpuUsed, runnerDb, dispatcherDb, smtpTime, connections) = (Cpu() - cpu, probes.RunnerDb, probes.DispatcherDb, probes.Smtp, probes.Connections);
        var (runnerBegin, dispatcherBegin) = (probes.RunnerBegin, probes.DispatcherBegin);

        CheckEachOnce("The app's emails", smtp.TakeDelivered());
        await CheckRecordedAsync(host, sendId);
        var compose = await ComposeAloneAsync(host, purpose);
        return new AppRun(sent, runnerDone, sentByRunnerDone, runnerDb, runnerBegin, compose, dispatcherDb, dispatcherBegin, smtpTime, connections, cpuUsed);
    }

    private static async Task<bool> RunnerRoundAsync(BenchmarkHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BulkRunner>().RunOnceAsync(CancellationToken.None);
    }

    private static async Task<bool> FinishedAsync(BenchmarkHost host, long sendId)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.BulkSends.AnyAsync(b => b.Id == sendId && b.State == BulkSendState.Finished);
    }

    /// <summary>
    /// 10,000 patients, each with a completed visit in the last 30 days, written straight to the database; the send made
    /// as staff make it (the audience: those 30 days of appointments); the undo window passed.
    /// </summary>
    private static async Task<long> SeedAsync(BenchmarkHost host, BulkPurpose purpose, ShiftedClock clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var zone = (await host.Services.GetRequiredService<ClinicSettingsService>().GetAsync()).TimeZone;
        var today = DateOnly.FromDateTime(ClinicTime.ToWallClock(now, zone));
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var practitioner = new Practitioner { DisplayName = "Dr. Bench" };
            var type = new AppointmentType { Name = "Follow-up", DefaultLengthMinutes = 15 };
            db.AddRange(practitioner, type);
            db.Appointments.AddRange(Enumerable.Range(0, Patients).Select(i =>
            {
                var start = now.AddDays(-1 - i % 29).AddMinutes(-15 * (i % 40));
                return new Appointment
                {
                    Client = new Client
                    {
                        FirstName = $"Pat{i}", LastName = $"Ient{i % 300}", DateOfBirth = new DateOnly(1950, 1, 1).AddDays(i), Email = Email(i),
                        PreferredLanguage = i % 3 == 0 ? ClientLanguage.French : ClientLanguage.English, CreatedAtUtc = now, UpdatedAtUtc = now,
                        PromotionalConsentAtUtc = purpose == BulkPurpose.Promotional ? now.AddDays(-60) : null,
                        PromotionalConsentSource = purpose == BulkPurpose.Promotional ? "Signed the consent form" : null,
                    },
                    Practitioner = practitioner, AppointmentType = type, StartUtc = start, EndUtc = start.AddMinutes(15), Location = "Room 1",
                    Status = AppointmentStatus.Completed, CreatedAtUtc = start.AddDays(-7), UpdatedAtUtc = start,
                };
            }));
            await db.SaveChangesAsync();
        }
        await using var scope = host.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<BulkSendService>().CreateAsync(new BulkSendRequest(
            Guid.NewGuid().ToString("N"), "New opening hours", BulkChannel.Email, purpose,
            new BulkAudienceFilter(BulkAudienceKind.Appointments, FromDay: today.AddDays(-31), ToDay: today),
            null, Subject, Body, null, Patients), BenchmarkHost.Staff);
        if (created is not BulkCreateResult.Created { Recipients: Patients } made)
            throw new InvalidOperationException($"The bulk send was not created for {Patients:N0}: {created}");
        var undo = (await host.Services.GetRequiredService<ClinicSettingsService>().GetAsync()).BulkUndoMinutes;
        clock.MoveOn(TimeSpan.FromMinutes(undo) + TimeSpan.FromSeconds(1));
        return made.BulkSendId;
    }

    /// <summary>The round's 10,000 emails composed again by the app's composer alone, one after another: rendering's share.</summary>
    private static async Task<double> ComposeAloneAsync(BenchmarkHost host, BulkPurpose purpose)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var composer = scope.ServiceProvider.GetRequiredService<BulkComposer>();
        var clinic = await scope.ServiceProvider.GetRequiredService<ClinicSettingsService>().GetAsync();
        var unsubscribe = purpose == BulkPurpose.Promotional ? clinic.UnsubscribeLink(OutboxEmail.SecretMarker) : null;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Patients; i++)
        {
            var model = TemplateEmails.ModelFor($"Pat{i}", null, $"Ient{i % 300}", clinic) with { StaffName = BenchmarkHost.Staff.DisplayName };
            if (await composer.ComposeAsync(BulkChannel.Email, purpose, Subject, Body, model, clinic, unsubscribe) is not BulkComposeResult.Composed)
                throw new InvalidOperationException("The composer refused the benchmark's message.");
        }
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task CheckRecordedAsync(BenchmarkHost host, long sendId)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var emails = await db.OutboxEmails.CountAsync(e => e.Status == OutboxStatus.Sent && e.ClaimedBy == null);
        var all = await db.OutboxEmails.CountAsync();
        var recipients = await db.BulkRecipients.CountAsync(r => r.BulkSendId == sendId && r.Status == BulkRecipientStatus.Sent);
        var ids = await db.OutboxEmails.Select(e => e.MessageId).Distinct().CountAsync();
        if (emails != Patients || all != Patients || recipients != Patients || ids != Patients)
            throw new InvalidOperationException($"Recorded: {emails}/{all} emails sent, {ids} Message-IDs, {recipients} recipients sent; expected {Patients:N0} each.");
    }

    private static void CheckEachOnce(string what, IReadOnlyDictionary<string, int> delivered)
    {
        var expected = Enumerable.Range(0, Patients).Select(Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = expected.Count(a => !delivered.ContainsKey(a));
        var repeated = delivered.Count(d => d.Value > 1);
        var strangers = delivered.Keys.Count(a => !expected.Contains(a));
        if (missing + repeated + strangers > 0)
            throw new InvalidOperationException($"{what}: {missing} of {Patients:N0} patients got none, {repeated} got more than one, {strangers} went to other addresses.");
    }

    private static async Task<BareRun> BareAsync(BareSends bare, SmtpSink smtp)
    {
        smtp.TakeDelivered();
        var cpu = Cpu();
        var times = await bare.RunAsync(smtp.Port, "http://127.0.0.1:9/unused"); // no texts: the text loop does nothing
        var run = new BareRun(times.Emails, Cpu() - cpu);
        CheckEachOnce("The bare loop's emails", smtp.TakeDelivered());
        return run;
    }

    private static void Report(List<Case> cases, int rounds)
    {
        Console.WriteLine();
        Console.WriteLine($"{$"seconds, median of {rounds} rounds",-40} {string.Join("", cases.Select(c => $"{c.Name,34}"))}");
        void Row(string name, Func<Case, double> value, string format = "F2") =>
            Console.WriteLine($"{name,-40} {string.Join("", cases.Select(c => value(c).ToString(format).PadLeft(34)))}");
        Row("app: runner start → sink has all", c => Samples.Median(c.App.Select(a => a.Sent)));
        Row("  runner done (all handed on)", c => Samples.Median(c.App.Select(a => a.Runner)));
        Row("  emails at the sink by then", c => Samples.Median(c.App.Select(a => (double)a.SentByRunnerDone)), "N0");
        Row("  runner: database (incl. lock waits)", c => Samples.Median(c.App.Select(a => a.RunnerDb)));
        Row("    of which BEGIN (write-lock wait)", c => Samples.Median(c.App.Select(a => a.RunnerBegin)));
        Row("  compose 10,000 alone", c => Samples.Median(c.App.Select(a => a.Compose)));
        Row("  outbox: database (claims, saves)", c => Samples.Median(c.App.Select(a => a.DispatcherDb)));
        Row("    of which BEGIN (write-lock wait)", c => Samples.Median(c.App.Select(a => a.DispatcherBegin)));
        Row("  outbox: SMTP (connect, send, quit)", c => Samples.Median(c.App.Select(a => a.Smtp)));
        Row("  SMTP connections", c => Samples.Median(c.App.Select(a => (double)a.Connections)), "F0");
        Row("  CPU seconds", c => Samples.Median(c.App.Select(a => a.Cpu)));
        Row("bare MailKit loop, one connection", c => Samples.Median(c.Bare.Select(b => b.Sent)));
        Row("  CPU seconds", c => Samples.Median(c.Bare.Select(b => b.Cpu)));
        Row("ratio app ÷ bare (medians)", c => Samples.Median(c.App.Select(a => a.Sent)) / Samples.Median(c.Bare.Select(b => b.Sent)));
        Row("one after the other, once: runner alone", c => c.Split!.Value.App.Runner);
        Row("  then outbox alone", c => c.Split!.Value.App.Sent - c.Split!.Value.App.Runner);
        Row("  bare loop just before", c => c.Split!.Value.Bare.Sent);
        Row("  outbox alone ÷ bare", c => (c.Split!.Value.App.Sent - c.Split!.Value.App.Runner) / c.Split!.Value.Bare.Sent);
        Console.WriteLine($"{$"target ≤ {TargetSeconds:F0} s and ≤ {TargetRatio:F0}× bare",-40} {string.Join("", cases.Select(c =>
        {
            var (app, bare) = (Samples.Median(c.App.Select(a => a.Sent)), Samples.Median(c.Bare.Select(b => b.Sent)));
            return (app <= TargetSeconds && app / bare <= TargetRatio ? "met" : "MISSED").PadLeft(34);
        }))}");
        Console.WriteLine("The runner and the outbox run at once on 2 cores: their parts overlap and need not add up to the whole.");
    }

    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}
