using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Email;

/// <summary>The development default: emails become .eml files that the Dev mailbox page lists and opens.</summary>
public sealed class PickupFolderTransportTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private string Mailbox => Path.Combine(_host.Folder, "mailbox");
    private DevMailbox DevMailbox => _host.Get<DevMailbox>();

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Dispatching_writes_one_eml_file_that_the_dev_mailbox_lists_and_reads()
    {
        var id = await _host.EnqueueAsync("emma.smith@example.com", "Your patient portal invitation");

        Assert.Equal(1, await _host.DispatchAsync());

        var file = Assert.Single(Directory.GetFiles(Mailbox));
        Assert.EndsWith(".eml", file);
        var item = Assert.Single(await DevMailbox.ListAsync(10));
        Assert.Equal(Path.GetFileName(file), item.FileName);
        Assert.Equal("Your patient portal invitation", item.Subject);
        Assert.Contains("emma.smith@example.com", item.To);

        var message = await DevMailbox.ReadAsync(item.FileName);
        Assert.NotNull(message);
        Assert.Equal("Your patient portal invitation", message.Subject);
        Assert.Contains("Open your portal", message.Html);
        Assert.Contains("Open your portal.", message.Text);
        Assert.Equal(["https://portal.clinic.example/invite?token=abc123&step=1"], message.Links);
        Assert.Equal(OutboxStatus.Sent, (await _host.OutboxRowAsync(id)).Status);
    }

    [Fact]
    public async Task The_dev_mailbox_decodes_a_non_ascii_subject()
    {
        await _host.EnqueueAsync(subject: "Rendez-vous confirmé pour Zoë");
        await _host.DispatchAsync();

        Assert.Equal("Rendez-vous confirmé pour Zoë", Assert.Single(await DevMailbox.ListAsync(10)).Subject);
    }

    [Theory]
    [InlineData("../portal.db")]
    [InlineData("..%2Fportal.db")]
    [InlineData("/etc/passwd")]
    [InlineData("../mailbox/../portal.db")]
    [InlineData("sub/../../portal.db")]
    [InlineData("missing.eml")]
    [InlineData("")]
    public async Task The_dev_mailbox_opens_only_files_from_its_own_listing(string fileName)
    {
        // The folder must exist, or "mailbox/../portal.db" would not resolve and the test would prove nothing.
        await _host.EnqueueAsync();
        await _host.DispatchAsync();
        Assert.True(File.Exists(Path.Combine(Mailbox, "..", "portal.db")));

        Assert.Null(await DevMailbox.ReadAsync(fileName));
    }

    [Fact]
    public async Task When_the_pickup_folder_cannot_be_written_the_email_stays_pending_and_goes_out_later()
    {
        // A file where the folder should be: the transport cannot create it, as on a read-only or full disk.
        await File.WriteAllTextAsync(Mailbox, "not a folder");
        var id = await _host.EnqueueAsync();

        Assert.Equal(1, await _host.DispatchAsync());

        var row = await _host.OutboxRowAsync(id);
        Assert.Equal((OutboxStatus.Pending, 1), (row.Status, row.Attempts));
        Assert.False(string.IsNullOrWhiteSpace(row.LastError));
        Assert.True(row.NextAttemptAtUtc > _host.UtcNow());

        File.Delete(Mailbox);
        await _host.AdvanceToNextAttemptAsync(id);
        Assert.Equal(1, await _host.DispatchAsync());
        Assert.Equal(OutboxStatus.Sent, (await _host.OutboxRowAsync(id)).Status);
        Assert.Single(Directory.GetFiles(Mailbox, "*.eml"));
    }
}
