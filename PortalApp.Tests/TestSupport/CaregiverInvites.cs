using PortalApp.Security;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PortalApp.Data;
using PortalApp.Email;
using PortalApp.Features.Caregivers;
using PortalApp.Features.Invites;
using PortalApp.Features.Registration;
using PortalApp.Features.Templates;

namespace PortalApp.Tests.TestSupport;

/// <summary>Caregiver invites as staff send them, and the token from the email, never from the database.</summary>
public static class CaregiverInvites
{
    private const string LinkPattern = "/register/([A-Za-z0-9_-]{43})";

    /// <summary>Anna Tran, a parent with full access, typed in by hand.</summary>
    public static CaregiverInviteForm Form(int templateId, string first = "Anna", string last = "Tran", string? email = "anna.tran@example.com",
        CaregiverRelationship? relationship = CaregiverRelationship.ParentGuardian, CaregiverAccessLevel level = CaregiverAccessLevel.Full,
        DateOnly? endsOn = null, int? caregiverClientId = null) => new()
    {
        FirstName = first, LastName = last, Email = email, Phone = "(416) 555-0142", Relationship = relationship, Level = level,
        EndsOn = endsOn, CaregiverClientId = caregiverClientId, TemplateId = templateId,
    };

    public static async Task<int> DefaultTemplateAsync(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<TemplateService>().ListAsync(TemplateKind.CaregiverInvite)).Single(t => t.IsDefault).Id;
    }

    /// <summary>The token in the access's pending invite email while it still waits in the outbox (ServiceTestHost runs no dispatcher).</summary>
    public static async Task<string> QueuedTokenAsync(ServiceTestHost host, long accessId)
    {
        await using var db = await host.DbAsync();
        var invite = await db.PortalInvites.Include(i => i.OutboxEmail)
            .SingleAsync(i => i.CaregiverAccessId == accessId && i.Status == InviteStatus.Pending);
        var (html, _, _) = host.Get<OutboxSecrets>().Reveal(invite.OutboxEmail!);
        var token = Regex.Match(html, LinkPattern).Groups[1].Value;
        Assert.Equal(invite.TokenHash, SecretTokens.Hash(token));
        return token;
    }

    /// <summary>Sends through the running app and returns the access and the token from the email as delivered.</summary>
    public static async Task<(long AccessId, string Token)> InviteAsync(IServiceProvider services, int patientId, CaregiverInviteForm form)
    {
        long accessId = 0;
        var tokens = await DeliveredMail.AfterAsync(services, patientId, async () =>
        {
            using var scope = services.CreateScope();
            var result = await scope.ServiceProvider.GetRequiredService<CaregiverInviteService>().SendAsync(patientId, form, Staff.FrontDesk);
            accessId = Assert.IsType<CaregiverSendResult.Sent>(result).AccessId;
        }, LinkPattern);
        await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var pending = await db.PortalInvites.SingleAsync(i => i.CaregiverAccessId == accessId && i.Status == InviteStatus.Pending);
        return (accessId, tokens.Single(t => SecretTokens.Hash(t).SequenceEqual(pending.TokenHash)));
    }

    /// <summary>Invites through the running app, then registers through the real page as a new account.</summary>
    public static async Task<(HttpClient Browser, long AccessId)> RegisteredAsync(PortalAppFactory factory, int patientId, string patientDateOfBirth, CaregiverInviteForm form)
    {
        var (accessId, token) = await InviteAsync(factory.Services, patientId, form);
        return (await RegisterAsync(factory, token, patientDateOfBirth), accessId);
    }

    /// <summary>A client card with an email address of its own, in the running app's database.</summary>
    public static async Task<Client> AddClientAsync(PortalAppFactory factory, string first, string last, DateOnly dateOfBirth)
    {
        await using var db = await factory.DbAsync();
        var client = db.Clients.Add(new Client
        {
            FirstName = first, LastName = last, DateOfBirth = dateOfBirth, Email = $"{first.ToLowerInvariant()}.{Guid.NewGuid():N}@example.com",
            CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
        }).Entity;
        await db.SaveChangesAsync();
        return client;
    }

    /// <summary>Registers through the real page as a new account; the browser is then signed in, viewing the patient.</summary>
    public static async Task<HttpClient> RegisterAsync(PortalAppFactory factory, string token, string patientDateOfBirth)
    {
        var browser = StaffClient.Anonymous(factory);
        var response = await PortalForms.PostAsync(browser, $"/register/{token}", RegistrationFormView.FormName, new()
        {
            ["Form.DateOfBirth"] = patientDateOfBirth, ["Form.Password"] = PortalForms.PatientPassword,
            ["Form.ConfirmPassword"] = PortalForms.PatientPassword, ["Form.AcceptTerms"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }
}
