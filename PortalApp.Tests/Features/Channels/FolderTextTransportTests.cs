using PortalApp.Data;
using PortalApp.Features.Channels;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Features.Channels;

/// <summary>The development default: texts and calls become JSON files that the Dev outbox page lists and opens.</summary>
[Trait("Providers", "Both")]
public sealed class FolderTextTransportTests : IAsyncLifetime
{
    private ServiceTestHost _host = null!;
    private string Texts => Path.Combine(_host.Folder, "App_Data", "texts");
    private DevOutbox DevOutbox => _host.Get<DevOutbox>();

    public async ValueTask InitializeAsync() => _host = await ServiceTestHost.StartAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Each_text_and_call_becomes_a_file_that_the_dev_outbox_lists_newest_first_and_opens_with_its_link()
    {
        var text = await _host.EnqueueTextAsync(body: TextTestData.ReminderWithLink, secret: "token-4711");
        Assert.Equal(1, await _host.RunTextsAsync());
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        var call = await _host.EnqueueTextAsync(channel: MessageChannel.Voice, body: "This is Test Clinic calling to remind you of your appointment.");
        Assert.Equal(1, await _host.RunTextsAsync());

        Assert.Equal(2, Directory.GetFiles(Texts, "*.json").Length);
        var items = await DevOutbox.ListAsync(10);
        Assert.Equal([call, text], items.Select(i => i.Entry.MessageId));
        var opened = await DevOutbox.ReadAsync(items[1].FileName);
        Assert.NotNull(opened);
        Assert.Equal((MessageChannel.Sms, TextTestData.Patient, ClientLanguage.English), (opened.Entry.Channel, opened.Entry.To, opened.Entry.Language));
        Assert.EndsWith("Confirm or cancel: https://portal.clinic.example/appointment/token-4711", opened.Entry.Body);
        Assert.Equal(["https://portal.clinic.example/appointment/token-4711"], opened.Links);
        Assert.Equal(ServiceTestHost.Start.UtcDateTime, opened.Entry.TimeUtc);
        var row = await _host.MessageAsync(text);
        Assert.Equal(OutboundMessageStatus.Sent, row.Status);
        Assert.StartsWith("dev-", row.ProviderMessageId);
        Assert.Null(row.ProtectedSecret);
    }

    [Theory]
    [InlineData("../secret.json")]
    [InlineData("..%2Fsecret.json")]
    [InlineData("/etc/passwd")]
    [InlineData("../texts/../secret.json")]
    [InlineData("sub/../../secret.json")]
    [InlineData("missing.json")]
    [InlineData("")]
    public async Task The_dev_outbox_opens_only_files_from_its_own_listing(string fileName)
    {
        await _host.EnqueueTextAsync();
        await _host.RunTextsAsync();
        // A readable entry just outside the folder: the paths above would reach it if the name were not checked.
        var outside = Path.Combine(Texts, "..", "secret.json");
        File.Copy(Directory.GetFiles(Texts, "*.json").Single(), outside);
        Assert.NotNull(await DevOutbox.ReadAsync(Path.GetFileName(Directory.GetFiles(Texts, "*.json").Single())));

        Assert.Null(await DevOutbox.ReadAsync(fileName));
    }

    [Fact]
    public async Task When_the_texts_folder_cannot_be_written_the_text_waits_with_the_reason_and_goes_out_later()
    {
        // A file where the folder should be: the transport cannot create it, as on a read-only or full disk.
        Directory.CreateDirectory(Path.GetDirectoryName(Texts)!);
        await File.WriteAllTextAsync(Texts, "not a folder", TestContext.Current.CancellationToken);
        var id = await _host.EnqueueTextAsync();

        Assert.Equal(1, await _host.RunTextsAsync());

        var row = await _host.MessageAsync(id);
        Assert.Equal((OutboundMessageStatus.Queued, 1), (row.Status, row.Attempts));
        Assert.StartsWith("The texts folder cannot be written (", row.StatusDetail);
        Assert.True(row.NextAttemptAtUtc > _host.Time.GetUtcNow().UtcDateTime);

        File.Delete(Texts);
        await _host.AdvanceToNextTextAttemptAsync(id);
        Assert.Equal(1, await _host.RunTextsAsync());
        Assert.Equal(OutboundMessageStatus.Sent, (await _host.MessageAsync(id)).Status);
        Assert.Single(Directory.GetFiles(Texts, "*.json"));
    }
}
