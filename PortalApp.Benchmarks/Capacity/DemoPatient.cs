using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Invites;
using PortalApp.Features.Messaging;
using PortalApp.Features.Templates;

namespace PortalApp.Benchmarks.Capacity;

/// <summary>
/// A demo client made a portal patient the way a real one is: staff invite (real InviteService, email to the Development
/// pickup mailbox), the patient registers through the emailed link in the browser, staff start a conversation.
/// </summary>
public static class DemoPatient
{
    public const string Password = "lantern orbit meadow cobalt";

    /// <returns>The conversation's id; <paramref name="phone"/> is left signed in as the patient.</returns>
    public static async Task<int> RegisterAsync(CapacityServer server, IBrowserContext phone)
    {
        var services = server.Services;
        Client client;
        await using (var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
            client = await db.Clients.Where(c => c.Email != null && c.EndDate == null && c.Appointments.Any()).OrderBy(c => c.Id).FirstAsync();

        using (var scope = services.CreateScope())
        {
            var template = (await scope.ServiceProvider.GetRequiredService<TemplateService>().ListAsync(TemplateKind.PortalInvite)).Single(t => t.IsDefault);
            if (await scope.ServiceProvider.GetRequiredService<InviteService>().SendAsync(client.Id, template.Id, BenchmarkHost.Staff, resend: true) is not InviteSendResult.Sent)
                throw new InvalidOperationException($"The invite to client {client.Id} was not sent.");
        }
        var token = await TokenFromMailboxAsync(services, client.Email!);

        var page = await phone.NewPageAsync();
        await page.GotoAsync($"/register/{token}");
        await page.GetByLabel("Your date of birth").FillAsync(client.DateOfBirth.ToString("yyyy-MM-dd"));
        await page.GetByLabel("Create a password").FillAsync(Password);
        await page.GetByLabel("Type the password again").FillAsync(Password);
        await page.GetByLabel(new Regex("I accept")).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = $"Hello {client.PreferredName ?? client.FirstName}" }).WaitForAsync();
        await page.CloseAsync();

        using var staff = services.CreateScope();
        var started = await staff.ServiceProvider.GetRequiredService<StaffMessagingService>()
            .StartAsync(client.Id, "Before your visit", "Please bring your medication list and your health card.", allowReplies: true, BenchmarkHost.Staff);
        return started is MessageSendResult.Sent sent ? sent.ConversationId : throw new InvalidOperationException($"The message was not sent: {started}");
    }

    /// <summary>The dispatcher writes the invite to the pickup mailbox within moments; waits for it, at most 30 s.</summary>
    private static async Task<string> TokenFromMailboxAsync(IServiceProvider services, string email)
    {
        var mailbox = services.GetRequiredService<DevMailbox>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var item in (await mailbox.ListAsync(50)).Where(i => i.To.Contains(email, StringComparison.OrdinalIgnoreCase)))
            {
                var match = Regex.Match((await mailbox.ReadAsync(item.FileName))?.Text ?? "", "/register/([A-Za-z0-9_-]{43})");
                if (match.Success)
                    return match.Groups[1].Value;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No invite email to {email} in the pickup mailbox within 30 s.");
    }
}
