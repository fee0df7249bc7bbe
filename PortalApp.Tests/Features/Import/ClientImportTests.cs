using Microsoft.EntityFrameworkCore;
using PortalApp.Auditing;
using PortalApp.Data;
using PortalApp.Features.Import;
using PortalApp.Infrastructure;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Import;

[Trait("Providers", "Both")]
public sealed class ClientImportTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static ImportRequest ClinicFile(bool validRowsOnly = false) =>
        ClinicCsv.Request(ImportKind.Clients, ClinicCsv.Read(ClinicCsv.WindowsClients().Bytes, "clinic.csv"), validRowsOnly: validRowsOnly);

    private async Task<int> ClientCountAsync()
    {
        await using var db = await _host.DbAsync();
        return await db.Clients.CountAsync();
    }

    [Fact]
    public async Task The_dry_run_counts_the_clinic_file_and_lists_each_refused_row_with_its_line()
    {
        var generated = ClinicCsv.WindowsClients();

        var preview = await Imports.PreviewAsync(_host, ClinicFile());

        Assert.Equal((200, 196, 0, 0, 4), (preview.Total, preview.Created, preview.Updated, preview.Unchanged, preview.Refused));
        Assert.Equal(generated.BadLines.Keys.Order(), preview.RefusedRows.Select(r => r.Line));
        foreach (var row in preview.RefusedRows)
            Assert.Contains(generated.BadLines[row.Line], row.Reason);
        Assert.Equal(0, await ClientCountAsync());
    }

    [Fact]
    public async Task A_refused_row_stops_the_whole_file_and_nothing_is_saved()
    {
        var job = await Imports.RunAsync(_host, ClinicFile());

        Assert.Equal(ImportJobStatus.Failed, job.Status);
        Assert.Equal("4 of 200 rows were refused, so nothing was imported. Correct them and import the file again, or tick \"Import the valid rows\".", job.Error);
        Assert.Equal((0, 4), (job.Created, job.Refused));
        Assert.Equal(0, await ClientCountAsync());
    }

    [Fact]
    public async Task Importing_the_valid_rows_skips_the_refused_ones_and_audits_counts_only()
    {
        var job = await Imports.RunAsync(_host, ClinicFile(validRowsOnly: true));

        Assert.Equal((ImportJobStatus.Succeeded, 196, 4, 200), (job.Status, job.Created, job.Refused, job.ProcessedRows));
        await using var db = await _host.DbAsync();
        var francois = await db.Clients.SingleAsync(c => c.ExternalId == "CHART-0001");
        Assert.Equal(("François", "Côté", "Montréal", ClientLanguage.French), (francois.FirstName, francois.LastName, francois.City, francois.PreferredLanguage));
        Assert.Equal("+15145550001", francois.MobilePhone);
        Assert.Equal("15145550001", francois.MobilePhoneDigits);
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.ImportRun);
        Assert.Equal((AuditOutcome.Succeeded, "staff-admin"), (audit.Outcome, audit.StaffUserId));
        Assert.Equal("Clients: 200 rows, 196 created, 0 updated, 0 unchanged, 4 refused (valid rows only)", audit.Details);
    }

    [Fact]
    public async Task Importing_the_same_file_again_changes_nothing()
    {
        await Imports.RunAsync(_host, ClinicFile(validRowsOnly: true));
        await using var before = await _host.DbAsync();
        var versions = await before.Clients.OrderBy(c => c.Id).Select(c => c.Version).ToListAsync(TestContext.Current.CancellationToken);

        var again = await Imports.RunAsync(_host, ClinicFile(validRowsOnly: true));

        Assert.Equal((0, 0, 196), (again.Created, again.Updated, again.Unchanged));
        await using var after = await _host.DbAsync();
        Assert.Equal(versions, await after.Clients.OrderBy(c => c.Id).Select(c => c.Version).ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Rows_without_an_id_match_on_name_and_date_of_birth_and_update_what_changed()
    {
        var existing = await _host.AddClientAsync("Emma", "Smith", new DateOnly(1984, 3, 7), email: "old@example.com", phone: null);
        var file = ClinicCsv.Read("First Name,Last Name,DOB,Email\nemma,SMITH,1984-03-07,new@example.com\nNoah,Brown,1990-01-02,\n");

        var job = await Imports.RunAsync(_host, ClinicCsv.Request(ImportKind.Clients, file));

        Assert.Equal((1, 1, 0), (job.Created, job.Updated, job.Unchanged));
        await using var db = await _host.DbAsync();
        var emma = await db.Clients.SingleAsync(c => c.Id == existing.Id);
        // Matched whatever the case; the file's values (its spelling included) are what the card then holds.
        Assert.Equal(("emma", "SMITH", "new@example.com", existing.Version + 1), (emma.FirstName, emma.LastName, emma.Email, emma.Version));
    }

    [Fact]
    public async Task A_row_with_an_id_gives_it_to_the_one_card_with_its_name_and_no_id_yet()
    {
        var existing = await _host.AddClientAsync("Emma", "Smith", new DateOnly(1984, 3, 7), email: null, phone: null);
        var file = ClinicCsv.Read("Chart #,First name,Last name,Date of birth\nA-17,Emma,Smith,1984-03-07\n");

        var job = await Imports.RunAsync(_host, ClinicCsv.Request(ImportKind.Clients, file));

        Assert.Equal((0, 1), (job.Created, job.Updated));
        await using var db = await _host.DbAsync();
        Assert.Equal("A-17", (await db.Clients.SingleAsync(c => c.Id == existing.Id)).ExternalId);
    }

    [Theory]
    [InlineData("C-1,Emma,Smith,1984-03-07,,,\nC-1,Noah,Brown,1990-01-02,,,", 3, "Client ID C-1 is also on line 2: each client can be in the file once.")]
    [InlineData(",Emma,Smith,1984-03-07,,,\n,emma,smith,1984-03-07,,,", 3, "The same name and date of birth are on line 2: give each a Client ID, or remove the duplicate.")]
    [InlineData(",Emma,Smith,07/03/1984,,,", 2, "The date of birth \"07/03/1984\" is not a date written Year-month-day (2020-12-31).")]
    [InlineData(",Emma,Smith,2027-01-01,,,", 2, "The date of birth cannot be in the future.")]
    [InlineData(",Emma,Smith,1899-12-31,,,", 2, "The date of birth cannot be before 1 Jan 1900.")]
    [InlineData(",,Smith,1984-03-07,,,", 2, "Enter the first name.")]
    [InlineData(",Emma,,1984-03-07,,,", 2, "Enter the last name.")]
    [InlineData(",Emma,Smith,,,,", 2, "Enter the date of birth.")]
    [InlineData(",Emma,Smith,1984-03-07,a@b.example; c@d.example,,", 2, "Enter exactly one email address")]
    [InlineData(",Emma,Smith,1984-03-07,,call me,", 2, "A phone number may contain only digits, spaces, +, -, ., ( and ).")]
    [InlineData(",Emma,Smith,1984-03-07,,(416) 555-010,", 2, "This is not a valid phone number in Canada.")]
    [InlineData(",Emma,Smith,1984-03-07,,,Klingon", 2, "The preferred language \"Klingon\" is not English or French.")]
    public async Task Each_refused_row_says_its_line_and_why(string rows, int line, string reason)
    {
        var file = ClinicCsv.Read("Client ID,First name,Last name,Date of birth,Email,Mobile phone,Preferred language\n" + rows + "\n");

        var preview = await Imports.PreviewAsync(_host, ClinicCsv.Request(ImportKind.Clients, file));

        var refused = Assert.Single(preview.RefusedRows);
        Assert.Equal(line, refused.Line);
        Assert.StartsWith(reason, refused.Reason);
    }

    [Fact]
    public async Task A_row_that_matches_two_cards_by_name_is_refused()
    {
        await _host.AddClientAsync("Emma", "Smith", new DateOnly(1984, 3, 7));
        await _host.AddClientAsync("Emma", "Smith", new DateOnly(1984, 3, 7));
        var file = ClinicCsv.Read("First name,Last name,Date of birth\nEmma,Smith,1984-03-07\n");

        var preview = await Imports.PreviewAsync(_host, ClinicCsv.Request(ImportKind.Clients, file));

        Assert.Equal("2 clients already have this name and date of birth: add a Client ID to say which one this row is.", Assert.Single(preview.RefusedRows).Reason);
    }

    [Fact]
    public async Task A_row_with_the_id_of_a_merged_away_card_is_refused_instead_of_breaking_the_unique_id()
    {
        var survivor = await _host.AddClientAsync("Emma", "Smith", new DateOnly(1984, 3, 7));
        var merged = await _host.AddClientAsync("Emma", "Smyth", new DateOnly(1984, 3, 7));
        await using (var db = await _host.DbAsync())
        {
            var card = await db.Clients.SingleAsync(c => c.Id == merged.Id);
            (card.ExternalId, card.MergedIntoClientId) = ("OLD-7", survivor.Id);
            await db.SaveChangesAsync();
        }
        var file = ClinicCsv.Read("Client ID,First name,Last name,Date of birth\nold-7,Emma,Smyth,1984-03-07\n");

        var preview = await Imports.PreviewAsync(_host, ClinicCsv.Request(ImportKind.Clients, file));

        Assert.Equal(new RefusedRow(2, "Client ID old-7 belongs to a card that was merged into another: use the Client ID of the card it was merged into."), Assert.Single(preview.RefusedRows));
    }

    [Fact]
    public async Task Day_first_dates_are_read_as_chosen_and_end_dates_are_checked()
    {
        var file = ClinicCsv.Read("First name,Last name,DOB,End date\nEmma,Smith,07/03/1984,01/02/1983\nNoah,Brown,31/12/1990,\n");

        var preview = await Imports.PreviewAsync(_host, ClinicCsv.Request(ImportKind.Clients, file, DateFormat.DayMonthYear));

        Assert.Equal(1, preview.Created);
        Assert.Equal(new RefusedRow(2, "The end date cannot be before the date of birth."), Assert.Single(preview.RefusedRows));
    }

    [Fact]
    public async Task Only_an_admin_can_dry_run_or_import_and_the_server_says_so()
    {
        var request = ClinicFile(validRowsOnly: true);
        var import = _host.Scoped<ImportService>();

        foreach (var actor in new[] { Staff.FrontDesk, Staff.Practitioner })
        {
            Assert.Equal(ImportService.AdminOnly, Assert.IsType<ImportPreviewResult.Refused>(await import.PreviewAsync(actor, request)).Message);
            Assert.Equal(ImportService.AdminOnly, Assert.IsType<ImportStartResult.Refused>(await import.StartAsync(actor, request)).Message);
            Assert.Null(await import.LatestJobAsync(actor));
        }
        await using var db = await _host.DbAsync();
        Assert.Equal(0, await db.ImportJobs.CountAsync());
    }

    [Fact]
    public async Task An_import_stopped_midway_saves_nothing_and_shows_as_interrupted()
    {
        var request = ManyClients(5_000);
        using var stop = new CancellationTokenSource();
        var savedWhenStopped = 0;

        // Every row is checked (5,000 steps), then saved in batches: stop after the first batch is written.
        var job = await Imports.RunAsync(_host, request, ct: stop.Token, onProgress: done =>
        {
            if (done > 5_000 && !stop.IsCancellationRequested)
            {
                savedWhenStopped = done - 5_000;
                stop.Cancel();
            }
        });

        Assert.Equal(ImportRunner.BatchSize, savedWhenStopped);
        Assert.Equal(ImportJobStatus.Interrupted, job.Status);
        Assert.Equal(ImportRunner.InterruptedMessage, job.Error);
        Assert.Equal(0, await ClientCountAsync());
    }

    [Fact]
    public async Task A_job_cut_off_by_a_crash_shows_as_interrupted_after_a_restart()
    {
        await AddRunningJobAsync();

        await StartupTasks.PrepareDatabaseAsync(_host.Services);

        await using var after = await _host.DbAsync();
        var job = await after.ImportJobs.SingleAsync();
        Assert.Equal((ImportJobStatus.Interrupted, ImportRunner.InterruptedMessage), (job.Status, job.Error));
    }

    [Fact]
    public async Task Only_one_import_runs_at_a_time()
    {
        await AddRunningJobAsync();

        var result = await _host.Scoped<ImportService>().StartAsync(Staff.Admin, ClinicFile(validRowsOnly: true));

        Assert.Equal("An import is already running. Wait for it to finish, then start this one.", Assert.IsType<ImportStartResult.Refused>(result).Message);
    }

    [Fact]
    public async Task A_full_disk_fails_the_import_with_a_clear_message_and_saves_nothing()
    {
        var request = ManyClients(3_000, street: new string('x', 150));
        var job = await _host.Scoped<ImportService>().CreateJobAsync(Staff.Admin, request, TestContext.Current.CancellationToken);
        _host.FillDisk();

        await _host.Get<ImportRunner>().RunAsync(job!.Id, request, Staff.Admin, TestContext.Current.CancellationToken);

        await using var db = await _host.DbAsync();
        var stored = await db.ImportJobs.SingleAsync();
        Assert.Equal(ImportJobStatus.Failed, stored.Status);
        Assert.Equal("The server could not save the import: its disk is full or the database is busy. Nothing was imported. Tell your IT person, then run it again.", stored.Error);
        Assert.Equal(0, await db.Clients.CountAsync());
    }

    [Fact]
    public async Task The_page_finds_a_started_job_and_its_end()
    {
        var import = _host.Scoped<ImportService>();

        var started = Assert.IsType<ImportStartResult.Started>(await import.StartAsync(Staff.Admin, ClinicFile(validRowsOnly: true)));

        var view = await WaitAsync(async () => await import.GetJobAsync(Staff.Admin, started.JobId) is { Status: not ImportJobStatus.Running } v ? v : null);
        Assert.Equal((ImportJobStatus.Succeeded, 196, 100), (view.Status, view.Created, view.Percent));
        Assert.Equal(started.JobId, (await import.LatestJobAsync(Staff.Admin))!.Id);
    }

    private static ImportRequest ManyClients(int count, string street = "")
    {
        var text = new System.Text.StringBuilder("Client ID,First name,Last name,Date of birth,Street address\n");
        for (var i = 0; i < count; i++)
            text.Append($"ID-{i},Client{i},Test,1980-01-01,{street}\n");
        return ClinicCsv.Request(ImportKind.Clients, ClinicCsv.Read(text.ToString()));
    }

    /// <summary>A job left Running, as a crash or another admin's import leaves it.</summary>
    private async Task AddRunningJobAsync()
    {
        await using var db = await _host.DbAsync();
        db.ImportJobs.Add(new ImportJob { Kind = ImportKind.Clients, FileName = "c.csv", Status = ImportJobStatus.Running, StartedByUserId = "x", StartedByName = "X" });
        await db.SaveChangesAsync();
    }

    private static async Task<T> WaitAsync<T>(Func<Task<T?>> probe) where T : class
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await probe() is { } value)
                return value;
            await Task.Delay(20, timeout.Token);
        }
    }
}
