using PortalApp.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Features.Invites;
using PortalApp.Features.Templates;

namespace PortalApp.Tests.TestSupport;

/// <summary>Sends a real invite through the running app and returns the token from the email as delivered.</summary>
public static class PortalInvites
{
    public static async Task<string> InviteAsync(IServiceProvider services, int clientId)
    {
        var tokens = await DeliveredMail.AfterAsync(services, clientId, async () =>
        {
            using var scope = services.CreateScope();
            var template = (await scope.ServiceProvider.GetRequiredService<TemplateService>().ListAsync(TemplateKind.PortalInvite)).Single(t => t.IsDefault);
            var result = await scope.ServiceProvider.GetRequiredService<InviteService>().SendAsync(clientId, template.Id, Staff.FrontDesk, resend: true);
            Assert.IsType<InviteSendResult.Sent>(result);
        }, "/register/([A-Za-z0-9_-]{43})");
        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var pending = await db.PortalInvites.SingleAsync(i => i.ClientId == clientId && i.Status == InviteStatus.Pending);
        return tokens.Single(t => SecretTokens.Hash(t).SequenceEqual(pending.TokenHash));
    }
}
