using System.Text;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Security;
using PortalApp.Tests.TestSupport;

namespace PortalApp.Tests.Email;

/// <summary>RFC 8058 one-click unsubscribe headers, as the message arrives at a real SMTP server through the dispatcher.</summary>
[Trait("Providers", "Both")]
public sealed class ListUnsubscribeHeaderTests : IAsyncLifetime
{
    /// <summary>A clinic portal under a long address: with the token, the header is far past MimeKit's 78-character fold.</summary>
    private const string LongBase = "https://patient-portal.maple-grove-family-health-and-wellness-centre.example/clinic/unsubscribe/";

    private SmtpTestServer _smtp = null!;
    private ServiceTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartNewAsync();
        _host = await ServiceTestHost.StartAsync(OutboxTestData.SmtpSettings(_smtp.Port));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    /// <summary>A promotional email as the bulk runner queues it: the token as the secret, the URL with the marker.</summary>
    private async Task<long> QueuePromotionalAsync(string to, string token, string listUnsubscribeUrl)
    {
        await using var db = await _host.DbAsync();
        var row = _host.Get<EmailOutbox>().Enqueue(db, new OutgoingEmail(to, "Emma Smith", "Flu clinic on Saturday",
            $"<p>Flu shots this Saturday.</p><p><a href=\"{LongBase}{OutboxEmail.SecretMarker}\">Unsubscribe</a></p>",
            $"Flu shots this Saturday.\n\nUnsubscribe: {LongBase}{OutboxEmail.SecretMarker}", "bulk", Secret: token));
        row.ListUnsubscribeUrl = listUnsubscribeUrl;
        await db.SaveChangesAsync();
        return row.Id;
    }

    private static string Raw(ReceivedEmail email) => Encoding.ASCII.GetString(email.Raw);

    [Fact]
    public async Task A_promotional_email_carries_both_headers_and_the_long_address_on_one_unfolded_line()
    {
        var token = SecretTokens.NewToken();
        var id = await QueuePromotionalAsync("emma.smith@example.com", token, LongBase + OutboxEmail.SecretMarker);

        Assert.Equal(1, await _host.DispatchAsync());

        var received = Assert.Single(await _smtp.WaitForMessagesAsync(1));
        var url = LongBase + token;
        var line = $"List-Unsubscribe: <{url}>";
        Assert.True(line.Length > 78, "the header must be long enough for MimeKit to fold it");
        Assert.Contains($"\r\n{line}\r\n", Raw(received));
        Assert.Contains("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", Raw(received));
        Assert.Equal($"<{url}>", received.Message.Headers["List-Unsubscribe"]);
        Assert.DoesNotContain(OutboxEmail.SecretMarker, Raw(received));
        // Stored: the address with the marker only, and the token's protected copy erased once sent.
        var row = await _host.OutboxRowAsync(id);
        Assert.Equal((OutboxStatus.Sent, LongBase + OutboxEmail.SecretMarker, null), (row.Status, row.ListUnsubscribeUrl, row.ProtectedSecret));
    }

    [Fact]
    public async Task An_email_without_an_unsubscribe_address_has_neither_header()
    {
        await _host.EnqueueAsync("emma.smith@example.com");

        Assert.Equal(1, await _host.DispatchAsync());

        var received = Assert.Single(await _smtp.WaitForMessagesAsync(1));
        Assert.DoesNotContain("List-Unsubscribe", Raw(received), StringComparison.OrdinalIgnoreCase);
        Assert.False(received.Message.Headers.Contains("List-Unsubscribe"));
        Assert.False(received.Message.Headers.Contains("List-Unsubscribe-Post"));
    }

    [Theory]
    [InlineData("https://portal.clinic.example/unsubscribe/PORTALAPP-SECRET-TOKEN>\r\nBcc: everyone@example.com")]
    [InlineData("https://portal.clinic.example/unsubscribe/PORTALAPP-SECRET-TOKEN with a space")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://portal.clinic.example/désabonner/PORTALAPP-SECRET-TOKEN")]
    public async Task An_address_that_could_break_the_header_is_not_sent_and_fails_with_the_reason(string address)
    {
        var id = await QueuePromotionalAsync("emma.smith@example.com", SecretTokens.NewToken(), address);
        var other = await _host.EnqueueAsync("amy@example.com");

        Assert.Equal(2, await _host.DispatchAsync());

        var received = Assert.Single(await _smtp.WaitForMessagesAsync(1));
        Assert.Equal(["amy@example.com"], received.EnvelopeTo);
        var row = await _host.OutboxRowAsync(id);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Equal("The unsubscribe address is not a usable web address, so this promotional email was not sent.", row.LastError);
        Assert.Equal(OutboxStatus.Sent, (await _host.OutboxRowAsync(other)).Status);
    }
}
