using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Invites;
using PortalApp.Features.Templates;

namespace PortalApp.Tests.TestSupport;

/// <summary>
/// Sends a real invite through the running app and returns the token from the email as delivered to the pickup
/// mailbox: the test waits for the dispatcher's "sent" event, then reads the .eml like the patient's inbox.
/// </summary>
public static class PortalInvites
{
    public static async Task<string> InviteAsync(IServiceProvider services, int clientId)
    {
        var sent = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(OutboxEmailChanged change)
        {
            if (change.ClientId == clientId && change.Status == OutboxStatus.Sent)
                sent.TrySetResult(change.OutboxEmailId);
        }
        var events = services.GetRequiredService<OutboxEvents>();
        events.Changed += OnChanged;
        try
        {
            using var scope = services.CreateScope();
            var template = (await scope.ServiceProvider.GetRequiredService<TemplateService>().ListAsync(TemplateKind.PortalInvite)).Single(t => t.IsDefault);
            var result = await scope.ServiceProvider.GetRequiredService<InviteService>().SendAsync(clientId, template.Id, Staff.FrontDesk, resend: true);
            Assert.IsType<InviteSendResult.Sent>(result);
            await sent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            events.Changed -= OnChanged;
        }
        var mailbox = services.GetRequiredService<DevMailbox>();
        foreach (var item in await mailbox.ListAsync(500))
        {
            var message = (await mailbox.ReadAsync(item.FileName))!;
            var match = Regex.Match(message.Text ?? "", "/register/([A-Za-z0-9_-]{43})");
            if (match.Success && InviteTokens.Hash(match.Groups[1].Value) is var hash && await IsPendingAsync(services, clientId, hash))
                return match.Groups[1].Value;
        }
        throw new InvalidOperationException($"No delivered invite email for client {clientId}.");
    }

    private static async Task<bool> IsPendingAsync(IServiceProvider services, int clientId, byte[] hash)
    {
        await using var db = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return db.PortalInvites.Any(i => i.ClientId == clientId && i.Status == InviteStatus.Pending && i.TokenHash == hash);
    }
}
