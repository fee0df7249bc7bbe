using System.Runtime.Versioning;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Auditing;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Startup;

/// <summary>
/// <c>admin backup --to FILE</c> as the README's cron line runs it (its own process) against a running app, and the
/// README's restore: a fresh app started on the copy finds the data.
/// </summary>
[UnsupportedOSPlatform("windows")] // file modes; the app's servers and CI run Linux
public sealed class BackupRestoreTests : IAsyncLifetime
{
    private readonly TestFolder _backups = new();
    private readonly PortalAppFactory _live = new();

    public ValueTask InitializeAsync()
    {
        _live.CreateClient().Dispose();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _live.DisposeAsync();
        _backups.Dispose();
    }

    private Task<(int ExitCode, string Output)> BackupAsync(string target) =>
        AppProcess.RunAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Portal"] = $"Data Source={Path.Combine(_live.Folder, "portal.db")}",
            ["Serilog__WriteTo__File__Args__path"] = _backups.File("logs/portal-.log"),
        }, null, "admin", "backup", "--to", target);

    /// <summary>One transaction that changes two tables: a copy that is not of one moment would show it.</summary>
    private async Task WriteAsync(int clientId, string mark)
    {
        await using var db = await _live.DbAsync();
        var client = await db.Clients.SingleAsync(c => c.Id == clientId);
        client.PreferredName = mark;
        _live.Services.GetRequiredService<AuditLog>().Add(db, Staff.FrontDesk, AuditActions.ClientEdit, clientId, AuditOutcome.Succeeded, mark);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_backup_made_while_the_app_writes_restores_and_the_app_starts_on_it()
    {
        // A reader that stays open (here on purpose; in life a long request) keeps what is committed after it in the
        // -wal, out of portal.db: a copy must read through the -wal, as SQLite's backup does, or it loses it.
        await using var reader = new SqliteConnection($"Data Source={Path.Combine(_live.Folder, "portal.db")};Pooling=False");
        await reader.OpenAsync();
        using var snapshot = reader.BeginTransaction(deferred: true);
        await using (var read = reader.CreateCommand())
        {
            read.CommandText = "SELECT count(*) FROM Clients";
            await read.ExecuteScalarAsync();
        }
        int markerId;
        await using (var db = await _live.DbAsync())
        {
            var marker = db.Clients.Add(new Client { FirstName = "Bea", LastName = "Backup", DateOfBirth = new DateOnly(1990, 1, 2), CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow });
            await db.SaveChangesAsync();
            markerId = marker.Entity.Id;
        }
        var target = _backups.File("portal-backup.db");

        // The app goes on writing before, during and after the backup.
        using var stop = new CancellationTokenSource();
        var firstWrite = new TaskCompletionSource();
        var writer = Task.Run(async () =>
        {
            var writes = 0;
            while (!stop.IsCancellationRequested)
            {
                await WriteAsync(markerId, $"write {++writes}");
                firstWrite.TrySetResult();
            }
            return writes;
        });
        await firstWrite.Task;
        var (exitCode, output) = await BackupAsync(target);
        await stop.CancelAsync();
        var written = await writer;
        await WriteAsync(markerId, "after the backup");
        snapshot.Rollback();

        Assert.True(exitCode == 0, output);
        Assert.Contains($"Backup written to {target}.", output);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target));
        Assert.False(File.Exists(target + "-wal"));
        await using (var db = await _live.DbAsync())
        {
            var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.BackupMade);
            Assert.Equal((null, null, AuditOutcome.Succeeded), (audit.StaffUserId, audit.StaffDisplayName, audit.Outcome));
            Assert.StartsWith($"Command line, to {target} (", audit.Details);
        }

        // The README's restore: the copy becomes portal.db of a stopped app (no -wal, no -shm), which then starts.
        await using var restored = new PortalAppFactory().With("Seed:DemoData", "false");
        File.Copy(target, Path.Combine(restored.Folder, "portal.db"));
        var staff = await StaffClient.SignedInAsync(restored, "frontdesk@demo.clinic");

        Assert.Contains("Bea Backup", await staff.GetStringAsync($"/clients/{markerId}"));
        await using var copy = await restored.DbAsync();
        var marks = await copy.AuditEvents.Where(a => a.ClientId == markerId && a.Action == AuditActions.ClientEdit).OrderBy(a => a.Id).Select(a => a.Details).ToListAsync();
        Xunit.TestContext.Current.TestOutputHelper?.WriteLine($"{written} writes while the backup ran; {marks.Count} in the copy");
        Assert.InRange(marks.Count, 1, written);
        Assert.Equal(Enumerable.Range(1, marks.Count).Select(n => $"write {n}"), marks); // every write up to one moment,
        Assert.Equal(marks[^1], (await copy.Clients.SingleAsync(c => c.Id == markerId)).PreferredName); // and both halves of each
    }

    [Fact]
    public async Task An_existing_file_is_never_overwritten()
    {
        var target = _backups.File("yesterday.db");
        await File.WriteAllTextAsync(target, "yesterday's backup");

        var (exitCode, output) = await BackupAsync(target);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{target} already exists. A backup never overwrites a file", output);
        Assert.Equal("yesterday's backup", await File.ReadAllTextAsync(target));
        await using var db = await _live.DbAsync();
        Assert.False(await db.AuditEvents.AnyAsync(a => a.Action == AuditActions.BackupMade));
    }
}
